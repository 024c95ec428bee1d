/** The console's style sheet, served at /admin/console.css; the pages read well without it. */
export const CONSOLE_CSS = `
body { font-family: system-ui, sans-serif; margin: 0; color: #1d1d1f; line-height: 1.4; }
header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .5rem 1rem; background: #eef1f5; }
header .brand { font-weight: bold; margin: 0; }
header nav ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
header .sign-out { margin-left: auto; display: flex; gap: .5rem; align-items: center; }
main { padding: 0 1rem 2rem; max-width: 80rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #d5d9e0; vertical-align: top; }
.field { display: flex; flex-direction: column; max-width: 40rem; gap: .2rem; }
.filters { display: flex; flex-wrap: wrap; gap: 0 1rem; align-items: flex-end; }
.filters .field { min-width: 10rem; }
form.inline { display: inline; }
.errors { color: #a1001b; margin: .2rem 0; }
[aria-invalid="true"] { border-color: #a1001b; outline: 1px solid #a1001b; }
.notice { background: #e3f4e6; padding: .5rem; }
.stats { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: 1rem; padding: 0; list-style: none; }
.stats li { border: 1px solid #d5d9e0; padding: .75rem; }
.stats strong { display: block; font-size: 1.6rem; }
a:focus, button:focus, input:focus, select:focus, textarea:focus { outline: 3px solid #2a62c9; }
`;
