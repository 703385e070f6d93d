// The request form (new, draft, or asked for more information): "Save draft" keeps it private to the
// organisation, "Submit" sends it to the provider. Labels are translated here on the server; the fields
// are the client leaves of the form kit.
import type { Sector } from "@/generated/prisma/enums";
import type { Translate } from "@/server/i18n/locales";
import type { InnovationDetail } from "@/server/innovation/queries";
import { CONTACT_SLOTS, DURATION_UNITS, GPU_SHAPES, SENSITIVITIES } from "@/server/innovation/schemas";
import { SECTORS } from "@/server/orgs/schemas";
import { saveInnovationDraftAction, submitInnovationRequestAction } from "@/server/innovation/actions";
import { PrimaryButton, RadioGroupField, SecondaryButton, SelectField, StateForm, TextAreaField, TextField } from "./form-kit";

const legendClass = "mb-2 text-base font-semibold";

/** The form's starting values: the stored request, or an empty one in the organisation's sector. */
function initialValues(request: InnovationDetail | null, orgSector: Sector): Record<string, string> {
  const values: Record<string, string> = {
    title: request?.title ?? "",
    problem: request?.problem ?? "",
    outcome: request?.outcome ?? "",
    sector: request?.sector ?? orgSector,
    sensitivity: request?.sensitivity ?? "",
    shapeId: request?.shapeId ?? "",
    gpuQuantity: request?.gpuQuantity != null ? String(request.gpuQuantity) : "",
    durationValue: request?.durationValue != null ? String(request.durationValue) : "",
    durationUnit: request?.durationUnit ?? "HOURS",
    startDate: request?.startDate ?? "",
    endDate: request?.endDate ?? "",
  };
  for (const n of CONTACT_SLOTS) {
    const contact = request?.contacts[n - 1];
    values[`contactName${n}`] = contact?.name ?? "";
    values[`contactEmail${n}`] = contact?.email ?? "";
    values[`contactRole${n}`] = contact?.role ?? "";
  }
  return values;
}

export function RequestForm({ t, orgId, orgSector, request }: { t: Translate; orgId: string; orgSector: Sector; request: InnovationDetail | null }) {
  const v = initialValues(request, orgSector);
  const hidden: Record<string, string> = request ? { orgId, requestId: request.id } : { orgId };
  return (
    <StateForm action={saveInnovationDraftAction} secondaryAction={submitInnovationRequestAction} hidden={hidden} label={t("innovation.form.label")} className="space-y-8">
      <fieldset className="space-y-4">
        <legend className={legendClass}>{t("innovation.form.about")}</legend>
        <TextField name="title" label={t("innovation.form.title")} hint={t("innovation.form.titleHint")} defaultValue={v.title} required maxLength={160} />
        <TextAreaField name="problem" label={t("innovation.form.problem")} hint={t("innovation.form.problemHint")} defaultValue={v.problem} required maxLength={4000} />
        <TextAreaField name="outcome" label={t("innovation.form.outcome")} hint={t("innovation.form.outcomeHint")} defaultValue={v.outcome} required maxLength={4000} />
        <SelectField
          name="sector"
          label={t("innovation.form.sector")}
          defaultValue={v.sector}
          options={SECTORS.map((s) => ({ value: s, label: t(`sectors.${s}`) }))}
          required
          className="max-w-sm"
        />
      </fieldset>

      <RadioGroupField
        name="sensitivity"
        legend={t("innovation.form.sensitivity")}
        hint={t("innovation.form.sensitivityLead")}
        defaultValue={v.sensitivity}
        required
        options={SENSITIVITIES.map((s) => ({ value: s, label: t(`innovation.sensitivity.${s}`), description: t(`innovation.sensitivityHint.${s}`) }))}
      />

      <fieldset className="space-y-4">
        <legend className={legendClass}>{t("innovation.form.gpu")}</legend>
        <p className="text-sm text-slate-700 dark:text-slate-300">{t("innovation.form.gpuHint")}</p>
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField
            name="shapeId"
            label={t("innovation.form.shape")}
            defaultValue={v.shapeId}
            options={[{ value: "", label: t("innovation.form.shapeNone") }, ...GPU_SHAPES.map((s) => ({ value: s.id, label: s.name }))]}
            required
          />
          <TextField name="gpuQuantity" label={t("innovation.form.quantity")} hint={t("innovation.form.quantityHint")} defaultValue={v.gpuQuantity} inputMode="numeric" maxLength={3} required />
          <TextField name="durationValue" label={t("innovation.form.duration")} hint={t("innovation.form.durationHint")} defaultValue={v.durationValue} inputMode="numeric" maxLength={6} required />
          <SelectField
            name="durationUnit"
            label={t("innovation.form.durationUnit")}
            defaultValue={v.durationUnit}
            options={DURATION_UNITS.map((u) => ({ value: u, label: t(`innovation.durationUnit.${u}`) }))}
          />
        </div>
      </fieldset>

      <fieldset className="space-y-4">
        <legend className={legendClass}>{t("innovation.form.timeline")}</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField name="startDate" type="date" label={t("innovation.form.startDate")} defaultValue={v.startDate} required />
          <TextField name="endDate" type="date" label={t("innovation.form.endDate")} defaultValue={v.endDate} required />
        </div>
      </fieldset>

      <fieldset className="space-y-4">
        <legend className={legendClass}>{t("innovation.form.contacts")}</legend>
        <p className="text-sm text-slate-700 dark:text-slate-300">{t("innovation.form.contactsHint")}</p>
        {CONTACT_SLOTS.map((n) => (
          <fieldset key={n} className="rounded-md border border-slate-200 p-4 dark:border-slate-700">
            <legend className="px-1 text-sm font-medium">{t("innovation.form.contact", { n })}</legend>
            <div className="grid gap-4 sm:grid-cols-3">
              <TextField name={`contactName${n}`} label={t("innovation.form.contactName")} defaultValue={v[`contactName${n}`]} maxLength={120} autoComplete="off" />
              <TextField name={`contactEmail${n}`} type="email" label={t("innovation.form.contactEmail")} defaultValue={v[`contactEmail${n}`]} maxLength={254} autoComplete="off" />
              <TextField name={`contactRole${n}`} label={t("innovation.form.contactRole")} defaultValue={v[`contactRole${n}`]} maxLength={80} autoComplete="off" />
            </div>
          </fieldset>
        ))}
      </fieldset>

      <div className="flex flex-wrap gap-3">
        <PrimaryButton variant="secondary" pendingLabel={t("common.working")}>
          {t("innovation.form.saveDraft")}
        </PrimaryButton>
        <SecondaryButton pendingLabel={t("common.working")}>{request?.status === "NEEDS_INFO" ? t("innovation.form.resubmit") : t("innovation.form.submit")}</SecondaryButton>
      </div>
    </StateForm>
  );
}
