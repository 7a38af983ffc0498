// Maps the `@kaowu/*` aliases of tsconfig.base.json to source for Jest.
const fs = require('node:fs');
const path = require('node:path');

exports.pathsToModuleNameMapper = (tsconfigPath) => {
  const { compilerOptions } = JSON.parse(fs.readFileSync(tsconfigPath, 'utf8'));
  const root = path.dirname(tsconfigPath);
  const mapper = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
    mapper[`^${alias.replace(/[/]/g, '\\/')}$`] = path.join(root, target);
  }
  return mapper;
};
