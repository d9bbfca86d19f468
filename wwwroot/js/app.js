// Small browser-side helpers called from Blazor through IJSRuntime.
window.multicluster = {
  // Remembers the light/dark choice for a year; read by the server when it renders the first page.
  saveTheme: function (value) {
    document.cookie = "mc-theme=" + encodeURIComponent(value) + "; path=/; max-age=31536000; samesite=lax";
  }
};
