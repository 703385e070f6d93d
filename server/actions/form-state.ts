// The state a form's server action returns to the page: translated messages, and values to refill.
export interface FormState {
  status: "idle" | "ok" | "error";
  message?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
  /** Changes on every submission so fields re-mount with the refilled values. */
  nonce?: number;
}

export const IDLE: FormState = { status: "idle" };
