// A fresh, empty MySQL database next to the one a URL names, for test runs and
// benchmarks that must not share state: created with our charset, dropped by `drop`.
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createScratchMysqlDatabase(baseUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = await createConnection(baseUrl);
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const conn = await createConnection(baseUrl);
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}
