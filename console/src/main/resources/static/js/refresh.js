// While a declaration is not final, the page reloads itself every 5 s (the agencies' receipts arrive as they decide).
setTimeout(function () { window.location.reload(); }, 5000);
