// The QR code on a letter carries the code after "#", which browsers never send to the server:
// copy it into the code field so the resident only has to press Start.
document.addEventListener("DOMContentLoaded", function () {
  var field = document.getElementById("code");
  var code = decodeURIComponent(window.location.hash.replace(/^#/, ""));
  if (field && code && !field.value) {
    field.value = code;
    history.replaceState(null, "", window.location.pathname);
  }
});
