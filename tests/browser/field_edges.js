// WCAG 1.4.11, which axe-core does not check: the contrast of the edge of every visible form field
// against what lies behind it. Fields the browser draws itself (a native checkbox, say) are left
// out: their look is the browser's, not ours. Returns a description of each field under 3:1.
() => {
  const rgba = (text) => (text.match(/[\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const [R, G, B] = [r, g, b].map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const behind = (el) => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      const [r, g, b, a = 1] = rgba(getComputedStyle(node).backgroundColor);
      if (a > 0) return [r, g, b];
    }
    return [255, 255, 255];
  };
  const fields = document.querySelectorAll(
    "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea"
  );
  return [...fields].filter((el) => el.offsetParent !== null).flatMap((el) => {
    const style = getComputedStyle(el);
    const own = ["checkbox", "radio", "file", "range", "color"].includes(el.type) && style.appearance !== "none";
    if (own || parseFloat(style.borderTopWidth) === 0) return [];
    const back = behind(el);
    const [r, g, b, a = 1] = rgba(style.borderTopColor);
    const edge = [r, g, b].map((c, i) => c * a + back[i] * (1 - a));
    const [light, dark] = [luminance(edge), luminance(back)].sort((x, y) => y - x);
    const ratio = (light + 0.05) / (dark + 0.05);
    const name = el.name || el.id || el.type;
    return ratio < 3 ? [`${name}: ${style.borderTopColor} on rgb(${back}) is ${ratio.toFixed(2)}:1`] : [];
  });
}
