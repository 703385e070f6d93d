import { getT } from "@/server/i18n/server";
import { DPA_VERSION } from "@/server/orgs/dpa";

const SECTIONS = ["roles", "location", "subprocessors", "security", "breach", "deletion", "audit"] as const;

/** The data-processing agreement, in the reader's language. */
export async function DpaText() {
  const t = await getT();
  return (
    <div className="space-y-3">
      <p className="font-medium">{t("dpa.versionLine", { version: DPA_VERSION })}</p>
      {SECTIONS.map((s) => (
        <div key={s}>
          <h3 className="font-semibold">{t(`dpa.sections.${s}.title`)}</h3>
          <p>{t(`dpa.sections.${s}.body`)}</p>
        </div>
      ))}
    </div>
  );
}
