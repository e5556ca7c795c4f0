// Runs after every test file (jest.config.js setupFilesAfterEnv): whatever a test started
// through spawnGroup and did not stop — an assertion failed first, a test timed out — is
// killed here, so no server keeps running and Jest is not left waiting for it.
import { killAllGroups } from './process-group';

afterAll(killAllGroups);
