// The benchmarks' command-line options: `--name value`, or the fallback when it is not given.
export function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
