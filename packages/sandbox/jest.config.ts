export default {
  displayName: 'sandbox',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
