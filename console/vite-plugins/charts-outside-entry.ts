import type { Plugin, Rolldown } from 'vite';

const chartsLibrary = /node_modules[\\/](echarts|echarts-for-react|zrender)[\\/]/;

/** The entry chunk and every chunk it imports statically: what a browser loads before the first screen. */
function eagerChunks(bundle: Rolldown.OutputBundle): Rolldown.OutputChunk[] {
  const chunks = Object.values(bundle).filter((file): file is Rolldown.OutputChunk => file.type === 'chunk');
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const eager = new Set(chunks.filter((chunk) => chunk.isEntry));
  for (const chunk of eager) {
    for (const name of chunk.imports) {
      const imported = byName.get(name);
      if (imported) eager.add(imported);
    }
  }
  return [...eager];
}

/**
 * Fails the build when the charts library is loaded with the first screen. It is most of the console's weight
 * and only the regulator dashboard draws charts, so it must stay behind a lazy import.
 */
export function chartsOutsideEntry(): Plugin {
  return {
    name: 'liangzheng:charts-outside-entry',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const chunk of eagerChunks(bundle)) {
        const chartsModule = chunk.moduleIds.find((id) => chartsLibrary.test(id));
        if (chartsModule) {
          this.error(
            `${chunk.fileName} is loaded with the first screen and holds the charts library (${chartsModule}); import the charts lazily from the dashboard`,
          );
        }
      }
    },
  };
}
