export default {
  displayName: 'sample-shop',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
