// The data-processing agreement version customers accept at sign-up.
export const DPA_VERSION = "2026-10";
