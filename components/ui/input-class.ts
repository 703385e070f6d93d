// The one look of text inputs and selects, for forms bound to actions and for plain GET filter forms.
export const inputClass =
  "block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-sm text-slate-900 placeholder:text-slate-500 focus:border-brand-600 dark:border-slate-500 dark:bg-slate-950 dark:text-slate-100";
