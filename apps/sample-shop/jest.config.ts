export default {
  displayName: 'sample-shop',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // End-to-end specs boot the sandbox and the shop (and one a browser).
  testTimeout: 30_000,
};
