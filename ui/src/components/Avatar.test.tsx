import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import { AvatarGroup, initials } from "./Avatar";

afterEach(() => cleanup());

describe("Avatar", () => {
  it("initials come from the full name, else from the username", () => {
    expect(initials("Ana Lytic")).toBe("AL");
    expect(initials("Jean-Paul de la Tour")).toBe("JT");
    expect(initials("j.doe")).toBe("JD");
    expect(initials("mkim")).toBe("MK");
    expect(initials("élodie")).toBe("ÉL");
  });

  it("a group shows at most three, the rest named on hover", () => {
    const users = new Map([["ana", { username: "ana", full_name: "Ana Lytic", email: null }]]);
    render(<AvatarGroup usernames={["ana", "bob", "cy", "dee"]} users={users} max={3} />);
    expect(screen.getByRole("img", { name: "Ana Lytic (ana)" }).textContent).toBe("AL");
    expect(screen.getByRole("img", { name: "bob" })).toBeTruthy();
    expect(screen.queryByRole("img", { name: "cy" })).toBeNull();
    expect(screen.getByText("+2").getAttribute("title")).toBe("cy, dee");
  });
});
