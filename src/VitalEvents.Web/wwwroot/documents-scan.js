// The document verification page: reads a document's QR code with the camera (jsQR, served from wwwroot/lib) into the
// text box. The button is shown only where a camera can be asked for and the decoder loaded; otherwise the page is paste-only.
(() => {
    if (window.veDocumentScan) return;
    const canScan = () => typeof window.jsQR === "function" && !!navigator.mediaDevices?.getUserMedia;
    let stream = null, frame = 0;

    // The payload of a QR code in an image, or null.
    function decode(imageData) {
        const code = window.jsQR(imageData.data, imageData.width, imageData.height, { inversionAttempts: "dontInvert" });
        return code ? code.data : null;
    }

    function stop(panel) {
        cancelAnimationFrame(frame);
        stream?.getTracks().forEach(track => track.stop());
        stream = null;
        if (panel) panel.hidden = true;
    }

    async function start(button) {
        const target = document.getElementById(button.dataset.scanFor);
        const panel = document.getElementById(button.getAttribute("aria-controls"));
        const video = panel.querySelector("video");
        const status = panel.querySelector("[data-scan-status]");
        const canvas = document.createElement("canvas");
        const context = canvas.getContext("2d", { willReadFrequently: true });
        panel.hidden = false;
        try {
            stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
        } catch {
            status.textContent = panel.dataset.scanTextFailed;
            return;
        }
        video.srcObject = stream;
        await video.play();
        const look = () => {
            if (!stream) return;
            if (video.readyState >= video.HAVE_ENOUGH_DATA && video.videoWidth > 0) {
                canvas.width = video.videoWidth;
                canvas.height = video.videoHeight;
                context.drawImage(video, 0, 0, canvas.width, canvas.height);
                const text = decode(context.getImageData(0, 0, canvas.width, canvas.height));
                if (text?.startsWith("VE1:")) {
                    target.value = text;
                    stop(null);
                    status.textContent = panel.dataset.scanTextFound;
                    target.focus();
                    return;
                }
                if (text) status.textContent = panel.dataset.scanTextOther;
            }
            frame = requestAnimationFrame(look);
        };
        frame = requestAnimationFrame(look);
    }

    function show() {
        if (!canScan()) return;
        document.querySelectorAll("button[data-scan-for]").forEach(button => { button.hidden = false; });
    }

    document.addEventListener("click", event => {
        const button = event.target.closest?.("button[data-scan-for]");
        if (button) { start(button); return; }
        const close = event.target.closest?.("button[data-scan-stop]");
        if (close) stop(close.closest(".qr-scan"));
    });
    window.veDocumentScan = { decode };
    // blazor.web.js comes after the page's content: an enhanced navigation or form post redraws the page from the server's markup.
    document.addEventListener("DOMContentLoaded", () => window.Blazor?.addEventListener?.("enhancedload", () => { stop(null); show(); }));
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", show); else show();
})();
