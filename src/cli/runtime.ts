// What every command-line tool needs: validated configuration and a migrated database.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { Config, loadConfig } from '../config';
import { openDataSource } from '../db/data-source';
import { entities, migrations } from '../modules';

export async function openForCli(): Promise<{ config: Config; dataSource: DataSource }> {
  const config = loadConfig();
  const dataSource = await openDataSource({ url: config.DATABASE_URL, entities, migrations });
  return { config, dataSource };
}

/** Runs a CLI's main, printing one clear line (not a stack) when it fails. */
export function runCli(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`error: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
