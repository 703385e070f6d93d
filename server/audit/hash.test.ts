import { describe, expect, it } from "vitest";
import { canonicalJson, computeAuditHash, GENESIS_HASH, verifyChainSegment, type HashedAuditFields } from "./hash";

function chain(n: number) {
  const events: Array<HashedAuditFields & { hash: string }> = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields: HashedAuditFields = {
      chainKey: "org1", seq, orgId: "org1", actorId: "u1", actorLabel: "a@example.no", action: "member.added",
      targetType: "user", targetId: `u${seq}`, outcome: "SUCCESS", details: { role: "VIEWER", n: seq },
      at: new Date(Date.UTC(2026, 10, 28, 12, 0, seq)), ip: "10.0.0.1", userAgent: "test", prevHash,
    };
    const hash = computeAuditHash(fields);
    events.push({ ...fields, hash });
    prevHash = hash;
  }
  return events;
}

describe("audit hash chain", () => {
  it("serialises objects canonically regardless of key order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it("produces a stable SHA-256 hex digest that depends on every field", () => {
    const [first] = chain(1);
    expect(first!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(computeAuditHash(first!)).toBe(first!.hash);
    expect(computeAuditHash({ ...first!, ip: "10.0.0.2" })).not.toBe(first!.hash);
    expect(computeAuditHash({ ...first!, details: { role: "OWNER", n: 1 } })).not.toBe(first!.hash);
    expect(computeAuditHash({ ...first!, at: new Date(first!.at.getTime() + 1) })).not.toBe(first!.hash);
  });

  it("verifies an intact chain", () => {
    expect(verifyChainSegment(chain(5))).toEqual({ ok: true, count: 5 });
  });

  it("reports edited content, a broken link, and a missing event", () => {
    const edited = chain(5);
    edited[2] = { ...edited[2]!, details: { role: "OWNER", n: 3 } };
    expect(verifyChainSegment(edited)).toMatchObject({ ok: false, brokenAtSeq: 3, reason: "hash" });

    const relinked = chain(5);
    // Recomputing an edited event's own hash still breaks the next link.
    const forged = { ...relinked[1]!, actorLabel: "someone-else" };
    relinked[1] = { ...forged, hash: computeAuditHash(forged) };
    expect(verifyChainSegment(relinked)).toMatchObject({ ok: false, brokenAtSeq: 3, reason: "link" });

    const missing = chain(5);
    missing.splice(3, 1);
    expect(verifyChainSegment(missing)).toMatchObject({ ok: false, brokenAtSeq: 5, reason: "sequence" });
  });

  it("continues verification from a previous segment", () => {
    const events = chain(6);
    const first = verifyChainSegment(events.slice(0, 3));
    expect(first.ok).toBe(true);
    const start = { prevHash: events[2]!.hash, seq: 3 };
    expect(verifyChainSegment(events.slice(3), start)).toEqual({ ok: true, count: 3 });
  });
});
