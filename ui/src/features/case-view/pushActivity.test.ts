import { describe, expect, it } from "vitest";
import type { UserAction } from "../../lib/api/bindings";
import { anAction } from "../../testing/builders";
import { describeAction, toFeedEntry } from "./activity";
import { describePush, pushSentence } from "./pushActivity";

function push(id: string, connectorId: string, connectorName: string, title: string, created?: boolean): UserAction {
  return anAction({
    id,
    action: "push_to_service",
    type: "pushed",
    payload: {
      externalService: {
        connector_id: connectorId,
        connector_name: connectorName,
        external_id: `id-${title}`,
        external_title: title,
        external_url: `https://jira.example.org/browse/${title}`,
        pushed_at: "2026-11-27T10:00:00Z",
        pushed_by: { username: "ana", full_name: null, email: null },
      },
      ...(created === undefined ? {} : { created }),
    },
  });
}

describe("push lines", () => {
  const pushes = [
    push("p1", "jira", "SOC Jira", "SEC-1", true),
    push("p2", "jira", "SOC Jira", "SEC-1", false),
    push("p3", "snow", "SNOW", "INC0010001", true),
  ];

  it("says whether each push made its ticket or updated it, as the record says, in Kibana's words", () => {
    expect(pushes.map((p) => describeAction(p))).toEqual([
      "pushed as new incident SEC-1 to SOC Jira",
      "updated incident SEC-1 in SOC Jira",
      "pushed as new incident INC0010001 to SNOW",
    ]);
  });

  it("carries the ticket's link for the feed, and still reads on a record that does not say", () => {
    const entry = toFeedEntry(pushes[1], new Set());
    expect(entry).toMatchObject({
      kind: "event",
      push: { verb: "updated incident", ticket: { title: "SEC-1", url: "https://jira.example.org/browse/SEC-1" }, where: " in SOC Jira" },
    });
    expect(pushSentence(describePush(push("p4", "jira", "SOC Jira", "SEC-1")))).toBe("pushed SEC-1 to SOC Jira");
  });

  it("survives a record without a ticket or connector", () => {
    const bare = anAction({ id: "x", type: "pushed", payload: { externalService: null, created: true } });
    expect(describePush(bare)).toEqual({ verb: "pushed as new incident", ticket: null, where: "" });
    expect(describeAction(bare)).toBe("pushed as new incident");
    expect(describeAction(anAction({ id: "y", type: "pushed", payload: {} }))).toBe("pushed");
  });
});
