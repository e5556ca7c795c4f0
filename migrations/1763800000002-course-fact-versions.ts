// A version per course fact (account id, SIS id) instead of one for both: with a single
// version, which value survived depended on arrival order whenever events carried
// different subsets of facts or a newer one cleared a fact with an explicit null.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CourseFactVersions1763800000002 implements MigrationInterface {
  name = 'CourseFactVersions1763800000002';

  async up(qr: QueryRunner): Promise<void> {
    // Plain ALTER TABLE, valid on both: TypeORM's addColumns rebuilds a SQLite table and
    // the rebuilt table had NOT NULL on columns that were nullable (courses.title).
    await qr.query('ALTER TABLE courses ADD COLUMN account_id_version varchar(160) NULL');
    await qr.query('ALTER TABLE courses ADD COLUMN sis_source_id_version varchar(160) NULL');
    // Known facts keep the version they were written at (replay rebuilds them exactly).
    await qr.query('UPDATE courses SET account_id_version = metadata_version WHERE account_id IS NOT NULL');
    await qr.query('UPDATE courses SET sis_source_id_version = metadata_version WHERE sis_source_id IS NOT NULL');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('ALTER TABLE courses DROP COLUMN sis_source_id_version');
    await qr.query('ALTER TABLE courses DROP COLUMN account_id_version');
  }
}
