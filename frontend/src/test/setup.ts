import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

// jsdom has <dialog> without showModal/close; give it the minimum the components use.
const dialogProto = HTMLDialogElement.prototype as Partial<HTMLDialogElement>;
dialogProto.showModal ??= function showModal(this: HTMLDialogElement) {
  this.setAttribute("open", "");
};
dialogProto.close ??= function close(this: HTMLDialogElement) {
  this.removeAttribute("open");
};

// jsdom has no matchMedia either.
if (typeof (window as { matchMedia?: unknown }).matchMedia !== "function") {
  Object.defineProperty(window, "matchMedia", {
    configurable: true,
    value: (query: string): MediaQueryList =>
      ({
        matches: false,
        media: query,
        onchange: null,
        addEventListener: () => undefined,
        removeEventListener: () => undefined,
        dispatchEvent: () => false,
      }) as unknown as MediaQueryList,
  });
}

afterEach(() => {
  cleanup();
  localStorage.clear();
});
