// Demo organisations and sign-ins created by the seed (printed by `npm run dev`).
export const DEMO_PASSWORD = "Nordlys-demo-2026";

export const DEMO_ORGS = [
  {
    slug: "helse-fjord",
    name: "Helse Fjord HF",
    orgNumber: "923456783",
    sector: "HEALTH",
    status: "ACTIVE",
    billingStreet: "Sjukehusvegen 12",
    billingPostalCode: "5021",
    billingCity: "Bergen",
    buyerReference: "HF-IKT-4471",
  },
  {
    slug: "nordvik-robotics",
    name: "Nordvik Robotics AS",
    orgNumber: "974123452",
    sector: "INDUSTRY",
    status: "ACTIVE",
    billingStreet: "Industriveien 7",
    billingPostalCode: "7031",
    billingCity: "Trondheim",
    buyerReference: "NR-PO-2026",
  },
  {
    slug: "kystverket-analyse",
    name: "Kystdata Analyse",
    orgNumber: "987654325",
    sector: "PUBLIC_SECTOR",
    status: "PENDING_APPROVAL",
    billingStreet: "Postboks 1502",
    billingPostalCode: "6025",
    billingCity: "Ålesund",
    buyerReference: "KDA-0001",
  },
] as const;

export const DEMO_USERS = [
  { email: "owner@helse-fjord.example", name: "Ingrid Solberg", memberships: [["helse-fjord", "OWNER"]] },
  { email: "admin@helse-fjord.example", name: "Ola Nordmann", memberships: [["helse-fjord", "ADMIN"]] },
  { email: "scientist@helse-fjord.example", name: "Sara Haugen", memberships: [["helse-fjord", "DATA_SCIENTIST"]] },
  { email: "procurement@helse-fjord.example", name: "Per Olsen", memberships: [["helse-fjord", "PROCUREMENT"]] },
  { email: "viewer@helse-fjord.example", name: "Kari Berg", memberships: [["helse-fjord", "VIEWER"]] },
  { email: "owner@nordvik-robotics.example", name: "Magnus Lie", memberships: [["nordvik-robotics", "OWNER"]] },
  { email: "scientist@nordvik-robotics.example", name: "Aisha Rahman", memberships: [["nordvik-robotics", "DATA_SCIENTIST"]] },
  {
    email: "consultant@nordlys-partner.example",
    name: "Jonas Vik",
    memberships: [
      ["helse-fjord", "DATA_SCIENTIST"],
      ["nordvik-robotics", "ADMIN"],
    ],
  },
  { email: "owner@kystdata.example", name: "Eva Strand", memberships: [["kystverket-analyse", "OWNER"]] },
] as const;

/** Provider staff: the operators' console (created by the seed or `npm run operator:create`, never by sign-up). */
export const DEMO_OPERATOR = { email: "operator@nordlys.example", name: "Silje Drift" } as const;

export const DEMO_ACCOUNTS: { email: string; password: string; description: string }[] = [
  ...DEMO_USERS.map((u) => ({
    email: u.email,
    password: DEMO_PASSWORD,
    description: u.memberships
      .map(([slug, role]) => `${role.toLowerCase().replace("_", " ")} @ ${DEMO_ORGS.find((o) => o.slug === slug)!.name}`)
      .join(", "),
  })),
  { email: DEMO_OPERATOR.email, password: DEMO_PASSWORD, description: "operator (provider staff): /operator" },
];
