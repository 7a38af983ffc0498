// The shared preset sits at the repo root and is not a project, which the boundaries rule cannot express.
// eslint-disable-next-line @nx/enforce-module-boundaries
module.exports = require('../../../jest.preset.cjs')(__dirname);
