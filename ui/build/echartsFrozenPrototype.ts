// Tauri freezes Object.prototype in the app (app.security.freezePrototype, against prototype
// pollution). ECharts then fails as it loads: Scheduler's `mockMethods` copies every enumerable
// name of a class prototype onto a plain object by assignment, `constructor` included (tslib's
// __extends makes it enumerable), and assigning a name that Object.prototype holds read-only
// throws in strict code. Defining the property instead of assigning it is the same for ECharts
// and works with the frozen prototype. The build fails if the code changes shape (an ECharts
// upgrade), so the patch is never silently lost.
import type { Plugin } from "vite";

const FILE = /[\\/]echarts[\\/]lib[\\/]core[\\/]Scheduler\.js$/;
const ASSIGNMENT = /target\[(\w+)\] = noop;/;

export function echartsFrozenPrototype(): Plugin {
  return {
    name: "casebook:echarts-frozen-prototype",
    transform(code, id) {
      if (!FILE.test(id)) return null;
      if (!ASSIGNMENT.test(code)) {
        this.error(`${id}: mockMethods no longer assigns target[name] = noop; check the frozen-prototype patch`);
      }
      return {
        code: code.replace(
          ASSIGNMENT,
          (_, name: string) =>
            `Object.defineProperty(target, ${name}, { value: noop, writable: true, enumerable: true, configurable: true });`,
        ),
        map: null,
      };
    },
  };
}
