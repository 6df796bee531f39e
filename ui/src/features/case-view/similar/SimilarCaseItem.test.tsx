// A similar case sharing many values stays short: five chips, then "+N" to see the rest.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import type { SharedObservable } from "../../../lib/api/bindings";
import { aCase } from "../../../testing/builders";
import { SimilarCaseItem } from "./SimilarCaseItem";

afterEach(() => cleanup());

const shared = (n: number): SharedObservable[] =>
  Array.from({ length: n }, (_, i) => ({ type_key: "observable-type-ipv4", type_label: "IPv4", value: `192.0.2.${i + 1}` }));

function chips() {
  return within(screen.getByRole("list", { name: /^Observables shared with/ }))
    .getAllByRole("listitem")
    .map((li) => li.textContent);
}

describe("SimilarCaseItem", () => {
  it("shows five shared values, then +N that reveals the rest", () => {
    render(
      <ul>
        <SimilarCaseItem item={{ case: aCase(1, { title: "Wave" }), shared: shared(12) }} />
      </ul>,
    );
    expect(screen.getByText("Shares 12 observables:")).toBeTruthy();
    expect(chips()).toEqual(["IPv4 192.0.2.1", "IPv4 192.0.2.2", "IPv4 192.0.2.3", "IPv4 192.0.2.4", "IPv4 192.0.2.5"]);
    const more = screen.getByRole("button", { name: "Show 7 more shared observables" });
    expect(more.textContent).toBe("+7");
    fireEvent.click(more);
    expect(chips()).toHaveLength(12);
    fireEvent.click(screen.getByRole("button", { name: "Show fewer shared observables" }));
    expect(chips()).toHaveLength(5);
  });

  it("counts with thousands separators", () => {
    render(
      <ul>
        <SimilarCaseItem item={{ case: aCase(1), shared: shared(1_205) }} />
      </ul>,
    );
    expect(screen.getByText("Shares 1,205 observables:")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Show 1,200 more shared observables" }).textContent).toBe("+1,200");
  });

  it("shows every value, with no +N, when there are five or fewer", () => {
    render(
      <ul>
        <SimilarCaseItem item={{ case: aCase(1), shared: shared(5) }} />
      </ul>,
    );
    expect(chips()).toHaveLength(5);
    expect(screen.queryByRole("button")).toBeNull();
  });
});
