// A notebook's status as a coloured badge with its translated label.
import { Badge } from "@/components/ui/card";

const TONE: Record<string, "neutral" | "success" | "warning" | "error" | "info"> = {
  RUNNING: "success",
  QUEUED: "warning",
  FAILED: "error",
  LOST: "error",
  STOPPED: "neutral",
  DELETED: "neutral",
};

export function StatusBadge({ status, label }: { status: string; label: string }) {
  return <Badge tone={TONE[status] ?? "info"}>{label}</Badge>;
}
