/** ESM throughout: @actions/core 3 and @actions/github 9 ship only ESM. */
const tsJest = {
  '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }]
}
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: tsJest,
  testEnvironment: 'node'
}

export default {
  // Live tests start Directus instances in their hooks; a per-project timeout is not honoured by Jest.
  testTimeout: 240000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'live',
      testMatch: ['<rootDir>/__tests__/{build,integration,e2e}/**/*.test.ts']
    },
    {
      // Live too: faults, bad inputs and hostile content against dist/index.js. The teardown prints the figures table.
      ...common,
      displayName: 'faults',
      testMatch: ['<rootDir>/__tests__/faults/**/*.test.ts'],
      globalSetup: '<rootDir>/__tests__/faults/figures-setup.mjs',
      globalTeardown: '<rootDir>/__tests__/faults/figures-teardown.mjs'
    }
  ]
}
