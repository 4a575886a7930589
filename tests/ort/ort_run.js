#!/usr/bin/env node
// ONNX Runtime reference runner for tinyonnx tests.
//
//   node ort_run.js MODEL.onnx OUT_PREFIX IN0.npy [IN1.npy ...] [--bench N]
//
// Runs MODEL on the CPU execution provider (intraOpNumThreads=1,
// graphOptimizationLevel 'all'), feeding the graph inputs in declaration
// order from the given .npy files, and writes OUT_PREFIX.output_K.npy for
// every graph output K (in the output's own dtype).
// With --bench N it then runs N timed inferences after 10 warm-ups and prints
// `ort_us_per_inference <mean>` on stdout.
// Pass `-` as OUT_PREFIX to skip writing outputs.
'use strict';

const fs = require('fs');
const path = require('path');

// ---------------------------------------------------------------- .npy I/O
// npy format: magic "\x93NUMPY", major, minor, header length (u16 LE for v1,
// u32 LE for v2/v3), ASCII dict header padded with spaces, ending in '\n'.

const DTYPES = {
  // descr -> [ORT type, TypedArray, byte size]
  '<f4': ['float32', Float32Array, 4],
  '<f8': ['float64', Float64Array, 8],
  '<i8': ['int64', BigInt64Array, 8],
  '<i4': ['int32', Int32Array, 4],
  '<i2': ['int16', Int16Array, 2],
  '|u1': ['uint8', Uint8Array, 1],
  '|i1': ['int8', Int8Array, 1],
  '|b1': ['bool', Uint8Array, 1],
};
const ORT_TO_DESCR = {};
for (const [descr, [ortType]] of Object.entries(DTYPES)) ORT_TO_DESCR[ortType] = descr;

function normalizeDescr(d) {
  // numpy writes single-byte types with '|'; accept '<'/'=' too.
  if (d.length === 3 && d[2] === '1' && (d[0] === '<' || d[0] === '=')) return '|' + d.slice(1);
  if (d[0] === '=') return '<' + d.slice(1);
  return d;
}

function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.length < 10 || buf[0] !== 0x93 || buf.toString('latin1', 1, 6) !== 'NUMPY') {
    throw new Error(`${file}: not a .npy file`);
  }
  const major = buf[6];
  let hlen, hstart;
  if (major === 1) {
    hlen = buf.readUInt16LE(8);
    hstart = 10;
  } else if (major === 2 || major === 3) {
    hlen = buf.readUInt32LE(8);
    hstart = 12;
  } else {
    throw new Error(`${file}: unsupported .npy version ${major}`);
  }
  const header = buf.toString('latin1', hstart, hstart + hlen);
  const descrM = header.match(/'descr'\s*:\s*'([^']+)'/);
  const fortranM = header.match(/'fortran_order'\s*:\s*(True|False)/);
  const shapeM = header.match(/'shape'\s*:\s*\(([^)]*)\)/);
  if (!descrM || !fortranM || !shapeM) throw new Error(`${file}: bad .npy header: ${header}`);
  if (fortranM[1] === 'True') throw new Error(`${file}: fortran_order arrays are not supported`);
  const descr = normalizeDescr(descrM[1]);
  const dt = DTYPES[descr];
  if (!dt) throw new Error(`${file}: unsupported dtype '${descrM[1]}'`);
  const shape = shapeM[1].split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = hstart + hlen;
  const nbytes = count * dt[2];
  if (buf.length - dataStart < nbytes) throw new Error(`${file}: truncated data`);
  // Copy into an aligned buffer (the data offset need not be aligned).
  const raw = new ArrayBuffer(nbytes);
  new Uint8Array(raw).set(buf.subarray(dataStart, dataStart + nbytes));
  let data = new dt[1](raw);
  if (dt[0] === 'bool') data = Uint8Array.from(data, (v) => (v ? 1 : 0));
  return { type: dt[0], shape, data };
}

function writeNpy(file, type, shape, data) {
  const descr = ORT_TO_DESCR[type];
  if (!descr) throw new Error(`cannot write dtype ${type} to .npy`);
  const dt = DTYPES[descr];
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  // Pad so that magic(6)+version(2)+len(2)+header is a multiple of 64.
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre[0] = 0x93;
  pre.write('NUMPY', 1, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  let typed = data;
  if (type === 'bool') typed = Uint8Array.from(data, (v) => (v ? 1 : 0));
  else if (!(typed instanceof dt[1])) typed = dt[1].from(data);
  const body = Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength);
  fs.writeFileSync(file, Buffer.concat([pre, Buffer.from(header, 'latin1'), body]));
}

// ---------------------------------------------------------------- main

function usage(msg) {
  if (msg) process.stderr.write(`ort_run.js: ${msg}\n`);
  process.stderr.write('usage: node ort_run.js MODEL.onnx OUT_PREFIX IN0.npy [IN1.npy ...] [--bench N]\n');
  process.exit(2);
}

async function main() {
  const args = process.argv.slice(2);
  let benchRuns = 0;
  const pos = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--bench') {
      if (i + 1 >= args.length) usage('--bench needs a count');
      benchRuns = parseInt(args[++i], 10);
      if (!(benchRuns > 0)) usage('--bench count must be a positive integer');
    } else if (args[i] === '-h' || args[i] === '--help') {
      usage();
    } else {
      pos.push(args[i]);
    }
  }
  if (pos.length < 3) usage('need MODEL, OUT_PREFIX and at least one input');
  const [modelPath, outPrefix, ...inputFiles] = pos;

  let ort;
  try {
    ort = require('onnxruntime-node');
  } catch (e) {
    process.stderr.write(`ort_run.js: cannot load onnxruntime-node (run "npm install --ignore-scripts" in ${__dirname}): ${e.message}\n`);
    process.exit(3);
  }

  const session = await ort.InferenceSession.create(path.resolve(modelPath), {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });

  if (inputFiles.length !== session.inputNames.length) {
    throw new Error(`model has ${session.inputNames.length} input(s) (${session.inputNames.join(', ')}) but ${inputFiles.length} .npy file(s) were given`);
  }
  const feeds = {};
  session.inputNames.forEach((name, i) => {
    const a = readNpy(inputFiles[i]);
    feeds[name] = new ort.Tensor(a.type, a.data, a.shape);
  });

  const results = await session.run(feeds);

  if (outPrefix !== '-') {
    session.outputNames.forEach((name, k) => {
      const t = results[name];
      writeNpy(`${outPrefix}.output_${k}.npy`, t.type, t.dims, t.data);
    });
  }

  if (benchRuns > 0) {
    for (let i = 0; i < 10; i++) await session.run(feeds);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < benchRuns; i++) await session.run(feeds);
    const t1 = process.hrtime.bigint();
    const us = Number(t1 - t0) / 1000 / benchRuns;
    process.stdout.write(`ort_us_per_inference ${us.toFixed(3)}\n`);
  }
  await session.release();
}

main().catch((e) => {
  process.stderr.write(`ort_run.js: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
