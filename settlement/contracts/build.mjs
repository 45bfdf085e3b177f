// Compiles every contract in this folder with the pinned solc-js and writes its artefacts to build/:
// <Name>.abi.json (the ABI, pretty-printed) and <Name>.bin (the creation bytecode in hex) for every contract
// that deploys (abstract contracts have none). The output depends only on the sources and the settings below.
//
//   node contracts/build.mjs           rewrites build/
//   node contracts/build.mjs --check   exits 1 if build/ differs from a fresh compile (nothing is written)
import { readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import solc from 'solc';

const SOLC_VERSION = '0.8.37';
const SETTINGS = {
  evmVersion: 'cancun',
  viaIR: true, // a few gas less per settle leg than the legacy pipeline
  optimizer: { enabled: true, runs: 10000 },
  metadata: { bytecodeHash: 'ipfs' },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
};

const here = dirname(fileURLToPath(import.meta.url));
const buildDir = join(here, 'build');
const check = process.argv.includes('--check');

if (!solc.version().startsWith(SOLC_VERSION + '+')) {
  console.error(`build.mjs: solc-js ${solc.version()} is installed, ${SOLC_VERSION} is pinned: run npm install in settlement/`);
  process.exit(2);
}

// Source names are bare file names, so the metadata hash in the bytecode does not depend on where the checkout is.
const sourceFiles = readdirSync(here).filter((f) => f.endsWith('.sol')).sort();
const input = {
  language: 'Solidity',
  sources: Object.fromEntries(sourceFiles.map((f) => [f, { content: readFileSync(join(here, f), 'utf8') }])),
  settings: SETTINGS,
};
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: (path) => ({ error: `${path}: imports must be files of this folder` }) }));

// Warnings fail the build too, as javac's do.
const diagnostics = output.errors ?? [];
for (const d of diagnostics) {
  console.error(d.formattedMessage ?? d.message);
}
if (diagnostics.length > 0) {
  console.error(`build.mjs: ${diagnostics.length} compiler diagnostic(s); nothing written`);
  process.exit(1);
}

const expected = new Map();
for (const file of sourceFiles) {
  for (const [name, contract] of Object.entries(output.contracts[file] ?? {})) {
    const bytecode = contract.evm.bytecode.object;
    if (bytecode.length === 0) {
      continue;
    }
    if (expected.has(`${name}.bin`)) {
      console.error(`build.mjs: two contracts are named ${name}`);
      process.exit(1);
    }
    expected.set(`${name}.abi.json`, JSON.stringify(contract.abi, null, 2) + '\n');
    expected.set(`${name}.bin`, bytecode + '\n');
  }
}

const present = existsSync(buildDir) ? readdirSync(buildDir).sort() : [];
if (check) {
  const problems = [];
  for (const [file, content] of expected) {
    if (!present.includes(file)) {
      problems.push(`${file}: missing`);
    } else if (readFileSync(join(buildDir, file), 'utf8') !== content) {
      problems.push(`${file}: differs from a fresh compile`);
    }
  }
  for (const file of present) {
    if (!expected.has(file)) {
      problems.push(`${file}: no contract of that name`);
    }
  }
  if (problems.length > 0) {
    for (const p of problems) {
      console.error(`contracts/build/${p}`);
    }
    console.error('build.mjs: the committed artefacts do not match the sources: run npm run build in settlement/');
    process.exit(1);
  }
  console.log(`build.mjs: ${expected.size} artefacts match the sources (solc ${solc.version()})`);
} else {
  mkdirSync(buildDir, { recursive: true });
  for (const file of present) {
    if (!expected.has(file)) {
      rmSync(join(buildDir, file));
    }
  }
  for (const [file, content] of expected) {
    writeFileSync(join(buildDir, file), content);
  }
  console.log(`build.mjs: wrote ${expected.size} artefacts to contracts/build (solc ${solc.version()})`);
}
