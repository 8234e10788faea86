// The State panel: export as a download, import from a file, reset after a confirmation.

import { call, currentNamespace, post, put } from "./api.js";
import { $, complain, say } from "./dom.js";

function confirmed(text) {
  const dialog = $("#confirm-dialog");
  $("#confirm-text").textContent = text;
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    dialog.returnValue = "";
    dialog.showModal();
    $("#confirm-cancel").focus(); // the safe choice has the focus
  });
}

async function exportState() {
  const response = await call("GET", "/state", undefined, { raw: true });
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `sandbox-${currentNamespace()}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  say(`Exported namespace ${currentNamespace()}.`);
}

export function init(changed) {
  $("#state-export").addEventListener("click", () => exportState().catch(complain));
  $("#state-import").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    try {
      await put("/state", await file.text());
      say(`Imported ${file.name} into ${currentNamespace()}.`);
      await changed();
    } catch (error) {
      complain(error);
    } finally {
      event.target.value = "";
    }
  });
  $("#state-reset").addEventListener("click", async () => {
    const text = `Reset namespace ${currentNamespace()}? Its bookings, clock, faults and journal go.`;
    if (!(await confirmed(text))) return;
    try {
      await post("/reset");
      say(`Namespace ${currentNamespace()} reset.`);
      await changed();
    } catch (error) {
      complain(error);
    }
  });
}
