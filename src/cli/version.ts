/** The package version, kept equal to package.json's by a unit test (a JSON import would not bundle cleanly). */
export const VERSION = '0.1.0'
