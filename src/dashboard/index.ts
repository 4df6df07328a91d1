// The nabla dashboard: a local web app over run logs written by nb.summary (`nabla dashboard`).
export { startDashboard, type Dashboard, type DashboardOptions } from './server.js';
export { RunStore, type RunData } from './runs.js';
export { dashboardPage } from './page.js';
export { attachDashboard, type AttachOptions } from './attach.js';
