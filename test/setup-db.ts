// Gives each test file its own database, cloned from the migrated test database (DATABASE_URL).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll } from "vitest";

const templateUrl = process.env.TEMPLATE_DATABASE_URL ?? process.env.DATABASE_URL;

if (templateUrl) {
  process.env.TEMPLATE_DATABASE_URL = templateUrl;
  const template = new URL(templateUrl);
  const templateName = template.pathname.slice(1);
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new URL(templateUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  // Cloning needs the template idle; retry briefly if another file is cloning at the same moment.
  for (let attempt = 0; ; attempt++) {
    try {
      await client.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName}"`);
      break;
    } catch (error) {
      if (attempt > 20) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await client.end();
  const own = new URL(templateUrl);
  own.pathname = `/${name}`;
  process.env.DATABASE_URL = own.toString();

  afterAll(async () => {
    const cleanup = new pg.Client({ connectionString: admin.toString() });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await cleanup.end();
  });
}
