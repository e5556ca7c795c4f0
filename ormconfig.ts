// The DataSource for the TypeORM CLI (npm run migration:run), from DATABASE_URL.
import 'reflect-metadata';
import { loadConfig } from './src/config';
import { dataSourceOptions } from './src/db/data-source';
import { entities, migrations } from './src/modules';
import { DataSource } from 'typeorm';

export default new DataSource(dataSourceOptions({ url: loadConfig().DATABASE_URL, entities, migrations }));
