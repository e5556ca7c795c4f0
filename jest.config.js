/** Jest: one suite, run once; integration tests loop over the configured databases themselves. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['reflect-metadata'],
  // Kills whatever child processes a test file started and left running (failed or not).
  setupFilesAfterEnv: ['<rootDir>/test/support/cleanup.ts'],
  // jose is published as ES modules only; jest's CommonJS runtime needs it transpiled.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    '^.+/node_modules/jose/.+\\.js$': [
      'ts-jest',
      { diagnostics: false, tsconfig: { allowJs: true, isolatedModules: true } },
    ],
  },
  testTimeout: 60000,
};
