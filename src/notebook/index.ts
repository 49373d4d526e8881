export { displayBundle, escapeHtml, inKernel, liveDisplay, showHtml } from "../plot/display";
export type { LiveDisplay, MimeBundle } from "../plot/display";
export * from "./environment";
export * from "./interrupt";
export { exportNotebookHtml } from "./export-html";
export { exportNotebookSlides, planSlides } from "./export-slides";
