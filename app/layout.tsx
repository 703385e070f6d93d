import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import { inter } from "./fonts";
import { getLocale, getT } from "@/server/i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: { default: t("app.name"), template: `%s · ${t("app.name")}` }, description: t("app.tagline") };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  const t = await getT();
  return (
    <html lang={locale === "nb" ? "nb" : "en"} className={inter.variable}>
      <body className="min-h-screen font-sans">
        <a
          href="#main"
          className="sr-only rounded bg-white px-3 py-2 text-slate-900 focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50"
        >
          {t("nav.skipToContent")}
        </a>
        {children}
      </body>
    </html>
  );
}
