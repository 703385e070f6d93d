import type { Metadata } from "next";
import { getT } from "@/server/i18n/server";
import { AuthCard } from "../auth-card";
import { DpaText } from "./dpa-text";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("dpa.title") };
}

export default async function DpaPage() {
  const t = await getT();
  return (
    <AuthCard wide title={t("dpa.title")} lead={t("dpa.lead")}>
      <div className="text-sm">
        <DpaText />
      </div>
    </AuthCard>
  );
}
