// An area of the portal that is planned but not yet available to customers.
import { Construction } from "lucide-react";
import type { Translate, MessageKey } from "@/server/i18n/locales";
import { Card, PageHeader } from "@/components/ui/card";

export function ComingSoon({ t, title, body }: { t: Translate; title: MessageKey; body: MessageKey }) {
  return (
    <>
      <PageHeader title={t(title)} />
      <Card>
        <div className="flex items-start gap-3">
          <Construction aria-hidden="true" className="mt-0.5 size-5 text-amber-700 dark:text-amber-300" />
          <div>
            <p className="font-medium">{t("comingSoon.title")}</p>
            <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{t(body)}</p>
          </div>
        </div>
      </Card>
    </>
  );
}
