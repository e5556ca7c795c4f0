// Caliper events carry part of a submission (who, which assignment, the attempt, its
// type and text) and none of its grade: each field they set keeps its own version here,
// so a Caliper event newer than the last Canvas-format snapshot refreshes only what it
// says, and an older one changes nothing, in any arrival order.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class SubmissionCaliperVersions1764000005000 implements MigrationInterface {
  name = 'SubmissionCaliperVersions1764000005000';

  async up(qr: QueryRunner): Promise<void> {
    // Plain ALTER TABLE, valid on both (see 1763800000002). NULL: every field is at state_version.
    await qr.query('ALTER TABLE submissions ADD COLUMN field_versions text NULL');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('ALTER TABLE submissions DROP COLUMN field_versions');
  }
}
