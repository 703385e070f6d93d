import { describe, expect, it } from "vitest";
import { assignableRoles, can, PERMISSIONS, ROLES, type Permission } from "./permissions";

describe("permission table", () => {
  it("fails closed for unknown roles and permissions", () => {
    expect(can(null, "org.view")).toBe(false);
    expect(can(undefined, "org.view")).toBe(false);
    expect(can("OWNER", "does.not.exist" as Permission)).toBe(false);
    expect(can("HACKER" as never, "org.view")).toBe(false);
  });

  it("lets every role view the organisation but only owners and admins manage members", () => {
    for (const role of ROLES) expect(can(role, "org.view", "ACTIVE")).toBe(true);
    expect(ROLES.filter((r) => can(r, "members.invite", "ACTIVE"))).toEqual(["OWNER", "ADMIN"]);
    expect(ROLES.filter((r) => can(r, "members.remove", "ACTIVE"))).toEqual(["OWNER", "ADMIN"]);
    expect(ROLES.filter((r) => can(r, "audit.view", "ACTIVE"))).toEqual(["OWNER", "ADMIN"]);
  });

  it("gives invoices to procurement but not to data scientists or viewers", () => {
    expect(ROLES.filter((r) => can(r, "invoices.view", "ACTIVE"))).toEqual(["OWNER", "ADMIN", "PROCUREMENT"]);
  });

  it("lets launchers launch only in an approved organisation", () => {
    expect(ROLES.filter((r) => can(r, "notebooks.launch", "ACTIVE"))).toEqual(["OWNER", "ADMIN", "DATA_SCIENTIST"]);
    for (const status of ["PENDING_APPROVAL", "SUSPENDED", "REJECTED", undefined]) {
      for (const role of ROLES) expect(can(role, "notebooks.launch", status)).toBe(false);
    }
  });

  it("has a non-empty role list for every permission, with no unknown role", () => {
    for (const [name, rule] of Object.entries(PERMISSIONS)) {
      expect(rule.roles.length, name).toBeGreaterThan(0);
      for (const role of rule.roles) expect(ROLES).toContain(role);
    }
  });

  it("only lets owners grant the owner role", () => {
    expect(assignableRoles("OWNER")).toContain("OWNER");
    expect(assignableRoles("ADMIN")).not.toContain("OWNER");
    expect(assignableRoles("ADMIN")).toContain("ADMIN");
    expect(assignableRoles("DATA_SCIENTIST")).toEqual([]);
    expect(assignableRoles("VIEWER")).toEqual([]);
  });
});
