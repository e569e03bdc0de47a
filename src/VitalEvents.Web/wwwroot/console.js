// The console's few behaviours that need the browser: checking a form before it is sent, showing who holds a national code
// as it is typed, the Gregorian twin of a Solar Hijri date, and a Solar Hijri calendar to pick one from. The server checks
// everything again; without this script every form still works.
import { toGregorian, toJalaali, isValidJalaaliDate, jalaaliMonthLength } from "./lib/jalaali-js/jalaali.js";

const text = () => document.getElementById("console-text")?.dataset ?? {};
const persian = () => document.documentElement.lang === "fa";
const rtl = () => document.documentElement.dir === "rtl";

// Persian (U+06F0…) and Arabic-Indic (U+0660…) digits to ASCII, and back for display.
const ascii = value => value.replace(/[\u06F0-\u06F9]/g, d => String(d.charCodeAt(0) - 0x06F0)).replace(/[\u0660-\u0669]/g, d => String(d.charCodeAt(0) - 0x0660));
const shown = value => persian() ? String(value).replace(/[0-9]/g, d => String.fromCharCode(0x06F0 + Number(d))) : String(value);
const pad = n => String(n).padStart(2, "0");

// The national code's check digit (docs/domain.md, "National code").
function validNationalCode(raw) {
    const code = ascii(raw.trim());
    if (!/^[0-9]{10}$/.test(code) || /^(\d)\1{9}$/.test(code) || code.slice(3, 9) === "000000") return false;
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(code[i]) * (10 - i);
    const r = sum % 11;
    return Number(code[9]) === (r < 2 ? r : 11 - r);
}

// A date as the registry reads it: Solar Hijri y/m/d (or y-m-d below 1700), or ISO Gregorian; null when it is neither.
function parseDate(raw) {
    const value = ascii(raw.trim()).replace(/-/g, "/");
    const m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(value);
    if (!m) return null;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (y < 1700) {
        if (!isValidJalaaliDate(y, mo, d)) return null;
        const g = toGregorian(y, mo, d);
        return { jy: y, jm: mo, jd: d, gy: g.gy, gm: g.gm, gd: g.gd };
    }
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
    const j = toJalaali(y, mo, d);
    return { jy: j.jy, jm: j.jm, jd: j.jd, gy: y, gm: mo, gd: d };
}

const solar = (jy, jm, jd) => shown(`${jy}/${pad(jm)}/${pad(jd)}`);

function errorFor(control) {
    const id = control.id || control.closest("fieldset")?.id;
    return id ? document.querySelector(`[data-error-for="${CSS.escape(id)}"]`) : null;
}

function setError(control, message) {
    const target = errorFor(control);
    if (target && (message || target.dataset.client === "true")) {
        target.textContent = message ?? "";
        target.dataset.client = message ? "true" : "";
    }
    const controls = control.matches("fieldset") ? control.querySelectorAll("input") : [control];
    controls.forEach(c => message ? c.setAttribute("aria-invalid", "true") : c.removeAttribute("aria-invalid"));
}

// What is wrong with one control before the form is sent, in the page's language; null when nothing is.
function problemOf(control) {
    const t = text();
    if (control.matches("fieldset")) {
        return control.hasAttribute("data-required") && !control.querySelector("input:checked") ? t.required : null;
    }
    const value = control.value ?? "";
    if (value.trim() === "") return control.hasAttribute("data-required") ? t.required : null;
    if (control.hasAttribute("data-national-code") && !validNationalCode(value)) return t.nationalCode;
    if (control.hasAttribute("data-date") && !parseDate(value)) return t.date;
    return null;
}

function check(control) {
    const problem = problemOf(control);
    setError(control, problem);
    return problem;
}

// Before a checked form is sent (capture phase: before Blazor's enhanced submit sees it).
document.addEventListener("submit", event => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-check")) return;
    const problems = [];
    form.querySelectorAll("[data-required], [data-national-code], [data-date]").forEach(control => {
        if (control.closest("[hidden]")) return;
        const problem = check(control);
        if (problem) problems.push([control, problem]);
    });
    form.querySelector(".problems[data-client]")?.remove();
    if (problems.length === 0) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    const summary = document.createElement("div");
    summary.className = "problems";
    summary.dataset.client = "";
    summary.setAttribute("role", "alert");
    summary.tabIndex = -1;
    const heading = document.createElement("h2");
    heading.textContent = text().summary;
    const list = document.createElement("ul");
    for (const [control, problem] of problems) {
        const item = document.createElement("li");
        const link = document.createElement("a");
        const id = control.id;
        link.href = `#${id}`;
        const label = control.matches("fieldset") ? control.querySelector("legend") : document.querySelector(`label[for="${CSS.escape(id)}"]`);
        link.textContent = `${(label?.firstChild?.textContent ?? "").trim()}: ${problem}`;
        link.addEventListener("click", e => { e.preventDefault(); (control.matches("fieldset") ? control.querySelector("input") : control).focus(); });
        item.append(link);
        list.append(item);
    }
    summary.append(heading, list);
    form.prepend(summary);
    summary.focus();
}, true);

document.addEventListener("focusout", event => {
    const control = event.target;
    if (control instanceof HTMLElement && control.matches("[data-national-code], [data-date]") && control.closest("form[data-check]")) check(control);
});

// Who holds the code, as it is typed.
const lookups = new WeakMap();
function lookup(control) {
    const output = document.getElementById(`${control.id}-person`);
    if (!output) return;
    lookups.get(control)?.abort();
    const code = ascii(control.value.trim());
    if (!validNationalCode(code)) {
        output.textContent = "";
        return;
    }
    const abort = new AbortController();
    lookups.set(control, abort);
    output.textContent = text().searching ?? "";
    fetch(`${control.dataset.lookup}${code}`, { signal: abort.signal, credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(response => response.ok ? response.text() : "")
        .then(html => { output.innerHTML = html; })
        .catch(() => {});
}

// The Gregorian twin, as the date is typed.
function twin(control) {
    const output = document.getElementById(`${control.id}-twin`);
    if (!output) return;
    const date = parseDate(control.value);
    output.textContent = date ? output.dataset.twinLabel.replace("{0}", shown(`${date.gy}-${pad(date.gm)}-${pad(date.gd)}`)) : "";
}

let timer;
document.addEventListener("input", event => {
    const control = event.target;
    if (!(control instanceof HTMLInputElement)) return;
    if (control.hasAttribute("data-date")) twin(control);
    if (control.hasAttribute("data-lookup")) {
        clearTimeout(timer);
        timer = setTimeout(() => lookup(control), 200);
    }
    if (errorFor(control)?.dataset.client === "true" && !problemOf(control)) setError(control, null);
});

// The Solar Hijri calendar: a dialog of the month's days; arrows move by a day (in the page's direction), Page Up/Down by a
// month, Home/End to the week's ends, Enter picks, Escape closes. Weeks start on Saturday.
let calendar = null;

function closeCalendar(returnFocus) {
    if (!calendar) return;
    const { element, button } = calendar;
    element.remove();
    button.setAttribute("aria-expanded", "false");
    calendar = null;
    if (returnFocus) button.focus();
}

function weekday(jy, jm, jd) {
    const g = toGregorian(jy, jm, jd);
    return (new Date(Date.UTC(g.gy, g.gm - 1, g.gd)).getUTCDay() + 1) % 7; // 0 = Saturday
}

function moveDay(state, days) {
    let { jy, jm, jd } = state;
    jd += days;
    while (jd < 1) { jm -= 1; if (jm < 1) { jm = 12; jy -= 1; } jd += jalaaliMonthLength(jy, jm); }
    while (jd > jalaaliMonthLength(jy, jm)) { jd -= jalaaliMonthLength(jy, jm); jm += 1; if (jm > 12) { jm = 1; jy += 1; } }
    return { jy, jm, jd };
}

function moveMonth(state, months) {
    let jm = state.jm + months, jy = state.jy;
    while (jm < 1) { jm += 12; jy -= 1; }
    while (jm > 12) { jm -= 12; jy += 1; }
    return { jy, jm, jd: Math.min(state.jd, jalaaliMonthLength(jy, jm)) };
}

function renderCalendar() {
    const t = text();
    const { element, focus, input } = calendar;
    const months = (t.months ?? "").split(",");
    const weekdays = (t.weekdays ?? "").split(",");
    const chosen = parseDate(input.value);
    const now = new Date();
    const today = toJalaali(now.getFullYear(), now.getMonth() + 1, now.getDate());
    element.replaceChildren();

    const header = document.createElement("header");
    const previous = document.createElement("button");
    previous.type = "button";
    previous.textContent = rtl() ? "›" : "‹";
    previous.setAttribute("aria-label", t.previousMonth);
    previous.addEventListener("click", () => { calendar.focus = moveMonth(calendar.focus, -1); renderCalendar(); });
    const title = document.createElement("span");
    title.className = "title";
    title.id = "calendar-title";
    title.setAttribute("aria-live", "polite");
    title.textContent = `${months[focus.jm - 1]} ${shown(focus.jy)}`;
    const next = document.createElement("button");
    next.type = "button";
    next.textContent = rtl() ? "‹" : "›";
    next.setAttribute("aria-label", t.nextMonth);
    next.addEventListener("click", () => { calendar.focus = moveMonth(calendar.focus, 1); renderCalendar(); });
    header.append(previous, title, next);

    const table = document.createElement("table");
    table.setAttribute("role", "grid");
    table.setAttribute("aria-labelledby", "calendar-title");
    const head = table.createTHead().insertRow();
    for (const day of weekdays) {
        const th = document.createElement("th");
        th.scope = "col";
        th.textContent = day;
        head.append(th);
    }
    const body = table.createTBody();
    let row = body.insertRow();
    for (let i = 0; i < weekday(focus.jy, focus.jm, 1); i++) row.insertCell();
    const length = jalaaliMonthLength(focus.jy, focus.jm);
    for (let d = 1; d <= length; d++) {
        if (row.cells.length === 7) row = body.insertRow();
        const cell = row.insertCell();
        const day = document.createElement("button");
        day.type = "button";
        day.textContent = shown(d);
        day.dataset.day = String(d);
        day.setAttribute("aria-label", `${shown(d)} ${months[focus.jm - 1]} ${shown(focus.jy)}`);
        const selected = chosen && chosen.jy === focus.jy && chosen.jm === focus.jm && chosen.jd === d;
        day.setAttribute("aria-selected", selected ? "true" : "false");
        if (today.jy === focus.jy && today.jm === focus.jm && today.jd === d) day.classList.add("today");
        day.tabIndex = d === focus.jd ? 0 : -1;
        day.addEventListener("click", () => pick({ jy: focus.jy, jm: focus.jm, jd: d }));
        cell.append(day);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.className = "link-close";
    close.textContent = t.close;
    close.addEventListener("click", () => closeCalendar(true));
    element.append(header, table, close);
    element.querySelector(`button[data-day="${focus.jd}"]`)?.focus();
}

function pick(date) {
    const { input } = calendar;
    input.value = solar(date.jy, date.jm, date.jd);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
    closeCalendar(false);
    input.focus();
    check(input);
}

function openCalendar(button) {
    closeCalendar(false);
    const input = document.getElementById(button.dataset.pickFor);
    if (!input) return;
    const chosen = parseDate(input.value);
    const now = new Date();
    const start = chosen ?? toJalaali(now.getFullYear(), now.getMonth() + 1, now.getDate());
    const element = document.createElement("div");
    element.className = "calendar";
    element.setAttribute("role", "dialog");
    element.setAttribute("aria-label", button.getAttribute("aria-label"));
    button.closest(".date-input").after(element);
    button.setAttribute("aria-expanded", "true");
    calendar = { element, button, input, focus: { jy: start.jy, jm: start.jm, jd: start.jd } };
    element.addEventListener("keydown", onCalendarKey);
    renderCalendar();
}

function onCalendarKey(event) {
    const back = rtl() ? 1 : -1;
    const moves = {
        ArrowLeft: s => moveDay(s, back), ArrowRight: s => moveDay(s, -back), ArrowUp: s => moveDay(s, -7), ArrowDown: s => moveDay(s, 7),
        PageUp: s => moveMonth(s, event.shiftKey ? -12 : -1), PageDown: s => moveMonth(s, event.shiftKey ? 12 : 1),
        Home: s => moveDay(s, -weekday(s.jy, s.jm, s.jd)), End: s => moveDay(s, 6 - weekday(s.jy, s.jm, s.jd)),
    };
    if (event.key === "Escape") {
        event.preventDefault();
        closeCalendar(true);
    } else if (moves[event.key] && event.target.dataset.day) {
        event.preventDefault();
        calendar.focus = moves[event.key](calendar.focus);
        renderCalendar();
    }
}

document.addEventListener("click", event => {
    const button = event.target.closest?.("button[data-pick-for]");
    if (button) {
        event.preventDefault();
        if (calendar?.button === button) closeCalendar(true); else openCalendar(button);
    } else if (calendar && !calendar.element.contains(event.target)) {
        closeCalendar(false);
    }
});

// Parts of a form that apply only to one choice (the witnesses of a birth attested by witnesses): shown when it is chosen.
function showChosen() {
    document.querySelectorAll("[data-show-when]").forEach(element => {
        const [name, value] = element.dataset.showWhen.split("=");
        const checked = document.querySelector(`input[name="${CSS.escape(name)}"]:checked`);
        element.hidden = checked?.value !== value;
    });
}
document.addEventListener("change", event => { if (event.target.matches?.("input[type=radio]")) showChosen(); });

// After an enhanced navigation or form post, focus what asks for it (a refused form's summary).
function loaded() {
    closeCalendar(false);
    showChosen();
    document.querySelector("[data-focus]")?.focus();
}
window.Blazor?.addEventListener?.("enhancedload", loaded);
loaded();
