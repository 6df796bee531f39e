import { describe, expect, it } from "vitest";
import { localToRfc3339 } from "./alertFields";
import { fieldOf } from "../testing/fakeCore";

describe("fieldOf: a field of an Elasticsearch alert document", () => {
  const source = {
    "@timestamp": "2026-11-27T09:00:00.000Z",
    "kibana.alert.rule.name": "Brute force",
    "kibana.alert.risk_score": 73,
    "kibana.alert.building_block": false,
    kibana: { alert: { reason: "nested reason", "workflow_status": "open" }, "alert.severity": "high" },
    host: { name: "srv-1", ip: ["10.0.0.5", "192.0.2.7"] },
    user: [{ id: "u1" }, { name: "ana" }],
    process: { args: [["a", "b"], "c"] },
    empty: { name: null },
  };

  it("reads literal dotted keys, nested objects and mixes of both", () => {
    expect(fieldOf(source, "kibana.alert.rule.name")).toBe("Brute force");
    expect(fieldOf(source, "host.name")).toBe("srv-1");
    expect(fieldOf(source, "kibana.alert.reason")).toBe("nested reason");
    expect(fieldOf(source, "kibana.alert.workflow_status")).toBe("open");
    expect(fieldOf(source, "kibana.alert.severity")).toBe("high");
    expect(fieldOf(source, "@timestamp")).toBe("2026-11-27T09:00:00.000Z");
  });

  it("takes the first value of an array, and the first item of an array of objects that has the field", () => {
    expect(fieldOf(source, "host.ip")).toBe("10.0.0.5");
    expect(fieldOf(source, "user.name")).toBe("ana");
    expect(fieldOf(source, "process.args")).toBe("a");
  });

  it("gives numbers and booleans as text, and null for what is missing, null or an object", () => {
    expect(fieldOf(source, "kibana.alert.risk_score")).toBe("73");
    expect(fieldOf(source, "kibana.alert.building_block")).toBe("false");
    expect(fieldOf(source, "host")).toBeNull();
    expect(fieldOf(source, "empty.name")).toBeNull();
    expect(fieldOf(source, "nothing.here")).toBeNull();
    expect(fieldOf(null, "host.name")).toBeNull();
    expect(fieldOf("text", "host.name")).toBeNull();
  });
});

describe("localToRfc3339", () => {
  it("turns a datetime-local value (local time) into RFC 3339 UTC", () => {
    const expected = new Date(2026, 10, 27, 10, 0).toISOString().replace(".000Z", "Z");
    expect(localToRfc3339("2026-11-27T10:00")).toBe(expected);
    expect(localToRfc3339("2026-11-27T10:00")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("is undefined when blank and null when not a time", () => {
    expect(localToRfc3339("")).toBeUndefined();
    expect(localToRfc3339("  ")).toBeUndefined();
    expect(localToRfc3339("yesterday")).toBeNull();
  });
});
