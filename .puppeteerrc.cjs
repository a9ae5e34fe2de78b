// Puppeteer must not download its own Chrome when the dependencies install (≈170 MB, and an error
// where the network cannot reach it): the browser tests drive an installed Chromium or Chrome, found
// by test/browser/harness.ts (findBrowser).
module.exports = { skipDownload: true };
