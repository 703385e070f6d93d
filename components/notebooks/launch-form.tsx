"use client";
// Launch form: pick image, shape, region, storage and idle timeout, and see the hourly price and
// carbon of the choice before confirming.
import { useMemo, useState } from "react";
import type { FormState } from "@/server/actions/form-state";
import { ActionForm, Field, SelectField, SubmitButton } from "@/components/forms/action-form";
import { formatNok, formatNumber, type UiLocale } from "@/components/format";

export interface LaunchShape {
  id: string;
  name: string;
  detail: string;
  gpu: boolean;
  pricePerHourOre: number;
  regions: Array<{ regionId: string; regionName: string; available: number; total: number; queued: number; kwh: number | null; co2eG: number | null; embodiedG: number | null }>;
}

type Text = Record<
  | "displayName" | "project" | "projectHint" | "image" | "shape" | "region" | "storage" | "storageHint" | "idle" | "idleHint" | "summary" | "price" | "energy" | "carbon"
  | "confirm" | "working" | "free" | "full" | "gpuImageNote" | "estimateNote" | "perHour",
  string
>;

const fill = (template: string, params: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));

export function LaunchForm({
  action,
  orgId,
  locale,
  shapes,
  images,
  initialShape,
  text,
}: {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  orgId: string;
  locale: UiLocale;
  shapes: LaunchShape[];
  images: Array<{ id: string; name: string; gpu: boolean }>;
  initialShape?: string;
  text: Text;
}) {
  const [shapeId, setShapeId] = useState(shapes.some((s) => s.id === initialShape) ? initialShape! : (shapes[0]?.id ?? ""));
  const shape = shapes.find((s) => s.id === shapeId);
  const [regionId, setRegionId] = useState(shape?.regions.find((r) => r.available > 0)?.regionId ?? shape?.regions[0]?.regionId ?? "");
  const region = shape?.regions.find((r) => r.regionId === regionId) ?? shape?.regions[0];
  const imageOptions = useMemo(() => images.filter((i) => !i.gpu || shape?.gpu), [images, shape]);

  return (
    <ActionForm action={action} hidden={{ orgId }} label={text.confirm} resetOnSuccess={false}>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field name="displayName" label={text.displayName} required maxLength={60} defaultValue="" />
        <Field name="project" label={text.project} hint={text.projectHint} maxLength={40} defaultValue="General" />
      </div>
      <fieldset>
        <legend className="mb-2 text-sm font-medium">{text.shape}</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {shapes.map((s) => (
            <label
              key={s.id}
              className={`flex cursor-pointer items-start gap-2 rounded-md border p-3 text-sm ${s.id === shapeId ? "border-brand-600 bg-brand-50 dark:border-sky-400 dark:bg-slate-800" : "border-slate-300 dark:border-slate-700"}`}
            >
              <input
                type="radio"
                name="shapeId"
                value={s.id}
                checked={s.id === shapeId}
                onChange={() => {
                  setShapeId(s.id);
                  const next = s.regions.find((r) => r.regionId === regionId) ?? s.regions.find((r) => r.available > 0) ?? s.regions[0];
                  setRegionId(next?.regionId ?? "");
                }}
                className="mt-1 accent-brand-700"
              />
              <span>
                <span className="block font-medium">{s.name}</span>
                <span className="block text-xs text-slate-600 dark:text-slate-400">{s.detail}</span>
                <span className="block text-xs font-semibold">{fill(text.perHour, { price: formatNok(s.pricePerHourOre, locale) })}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div>
        <label htmlFor="launch-region" className="mb-1 block text-sm font-medium">
          {text.region}
        </label>
        <select
          id="launch-region"
          name="regionId"
          value={region?.regionId ?? ""}
          onChange={(e) => setRegionId(e.target.value)}
          className="block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-sm dark:border-slate-500 dark:bg-slate-950"
        >
          {shape?.regions.map((r) => (
            <option key={r.regionId} value={r.regionId}>
              {r.regionName}: {r.available > 0 ? fill(text.free, { available: r.available, total: r.total }) : fill(text.full, { queued: r.queued })}
            </option>
          ))}
        </select>
      </div>
      <SelectField name="imageId" label={text.image} options={imageOptions.map((i) => ({ value: i.id, label: i.name }))} defaultValue={imageOptions[0]?.id} required />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field name="storageGb" label={text.storage} hint={text.storageHint} defaultValue="50" inputMode="numeric" required />
        <Field name="idleTimeoutMinutes" label={text.idle} hint={text.idleHint} defaultValue="120" inputMode="numeric" required />
      </div>
      {shape && region ? (
        <section aria-labelledby="launch-summary" className="rounded-md border border-slate-300 bg-slate-50 p-4 text-sm dark:border-slate-700 dark:bg-slate-950">
          <h2 id="launch-summary" className="font-semibold">
            {text.summary}
          </h2>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1" aria-live="polite">
            <dt>{text.price}</dt>
            <dd className="font-semibold" data-testid="summary-price">{fill(text.perHour, { price: formatNok(shape.pricePerHourOre, locale) })}</dd>
            {region.kwh !== null ? (
              <>
                <dt>{text.energy}</dt>
                <dd>{formatNumber(region.kwh, locale, 2)} kWh</dd>
                <dt>{text.carbon}</dt>
                <dd data-testid="summary-carbon">
                  {formatNumber(region.co2eG ?? 0, locale, 1)} g + {formatNumber(region.embodiedG ?? 0, locale, 1)} g
                </dd>
              </>
            ) : null}
          </dl>
          <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">{text.estimateNote}</p>
          {region.available === 0 ? <p className="mt-2 text-amber-800 dark:text-amber-300">{fill(text.full, { queued: region.queued })}</p> : null}
        </section>
      ) : null}
      <SubmitButton pendingLabel={text.working}>{shape ? `${text.confirm} (${fill(text.perHour, { price: formatNok(shape.pricePerHourOre, locale) })})` : text.confirm}</SubmitButton>
    </ActionForm>
  );
}
