export default {
  displayName: 'nestjs',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
