// What the enrolment and "new recovery codes" forms get back: on success, the codes to show once.
import type { FormState } from "../actions/form-state";

export interface RecoveryCodesState extends FormState {
  recoveryCodes?: string[];
}
