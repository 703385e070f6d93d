import Link from "@/components/ui/link";
import { getT } from "@/server/i18n/server";

export default async function NotFound() {
  const t = await getT();
  return (
    <main id="main" className="mx-auto max-w-lg px-4 py-16 text-center">
      <h1 className="text-2xl font-semibold">{t("notFound.title")}</h1>
      <p className="mt-3 text-slate-700 dark:text-slate-300">{t("notFound.body")}</p>
      <p className="mt-6">
        <Link href="/">{t("notFound.home")}</Link>
      </p>
    </main>
  );
}
