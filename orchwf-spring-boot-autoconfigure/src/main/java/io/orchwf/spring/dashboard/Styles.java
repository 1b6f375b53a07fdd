package io.orchwf.spring.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The dashboard's style sheet and its one script, inline in every page, and the
 * Content-Security-Policy that allows exactly these two by their hashes and nothing else:
 * no other script, style, frame or host, and forms that post only to the application
 * itself.
 *
 * <p>
 * Colours: every state is dark text on a light tint of its colour (contrast at least
 * 7:1), and its word is always written beside it.
 */
final class Styles {

	static final String CSS = """
			:root{--ink:#0f172a;--muted:#475569;--line:#e2e8f0;--bg:#f6f7f9;--card:#fff;--link:#1d4ed8;\
			--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;\
			--sans:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
			*{box-sizing:border-box}
			html{font-size:14px}
			body{margin:0;background:var(--bg);color:var(--ink);font-family:var(--sans);line-height:1.45}
			a{color:var(--link)}
			a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,\
			summary:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
			code,pre,.mono{font-family:var(--mono);font-size:12.5px}
			.top{background:#0f172a;color:#f8fafc}
			.bar{max-width:1320px;margin:0 auto;padding:0 20px;display:flex;align-items:center;gap:24px;height:52px}
			.brand{display:flex;align-items:center;gap:8px;color:#fff;text-decoration:none;font-weight:700;\
			font-size:16px;letter-spacing:.2px}
			.brand svg{display:block}
			.top nav{display:flex;gap:4px}
			.top nav a{color:#cbd5e1;text-decoration:none;padding:6px 10px;border-radius:6px}
			.top nav a:hover{background:#1e293b;color:#fff}
			.top nav a[aria-current=page]{background:#1e293b;color:#fff;box-shadow:inset 0 -2px 0 #60a5fa}
			.jump{display:flex;gap:6px;margin-left:auto}
			.jump input{width:280px;background:#1e293b;border:1px solid #334155;color:#f8fafc;border-radius:6px;\
			padding:6px 10px;font:inherit}
			.jump input::placeholder{color:#94a3b8}
			.jump button{background:#2563eb;color:#fff;border:0;border-radius:6px;padding:6px 12px;font:inherit;\
			cursor:pointer}
			.meta{display:flex;gap:14px;align-items:center;color:#cbd5e1;font-size:12.5px;white-space:nowrap}
			.meta code{color:#e2e8f0}
			.meta label{display:flex;gap:4px;align-items:center;cursor:pointer}
			main{max-width:1320px;margin:0 auto;padding:20px 20px 40px}
			h1{font-size:22px;margin:4px 0 4px;display:flex;align-items:center;gap:10px;flex-wrap:wrap}
			h2{font-size:16px;margin:0 0 12px}
			h3{font-size:13px;margin:14px 0 6px;color:var(--muted);text-transform:uppercase;letter-spacing:.4px}
			.lede{color:var(--muted);margin:0 0 18px}
			.crumbs{font-size:12.5px;color:var(--muted);margin-bottom:4px}
			.crumbs a{color:var(--muted)}
			.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;\
			margin-bottom:16px}
			.card>:first-child{margin-top:0}
			.tag{display:inline-block;padding:0 7px;border-radius:6px;background:#f1f5f9;border:1px solid #cbd5e1;\
			color:#334155;font-family:var(--mono);font-size:12px;line-height:20px}
			.nowrap{white-space:nowrap}
			.card-head{display:flex;align-items:baseline;gap:10px;flex-wrap:wrap;margin-bottom:6px}
			.card-head h2{margin:0}
			.desc{margin:0 0 10px;color:var(--muted)}
			.grid{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:16px}
			.grid>.card{margin-bottom:0}
			.stack{margin-bottom:16px}
			.tiles{display:flex;flex-wrap:wrap;gap:10px;margin-bottom:18px}
			.tile{display:flex;flex-direction:column;min-width:118px;padding:10px 14px;border-radius:10px;\
			border:1px solid var(--line);background:var(--card);text-decoration:none;color:var(--ink)}
			.tile strong{font-size:20px;font-variant-numeric:tabular-nums}
			.tile:hover{border-color:#94a3b8}
			.counts{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:6px 0 12px}
			.counts a{text-decoration:none}
			.count{font-variant-numeric:tabular-nums;font-weight:700;margin-left:4px}
			.badge{display:inline-block;padding:1px 8px;border-radius:999px;border:1px solid;font-size:11px;\
			font-weight:700;line-height:18px;white-space:nowrap;text-transform:uppercase;letter-spacing:.4px}
			.badge-lg{font-size:14px;padding:2px 12px;line-height:22px}
			.s-completed{background:#dcfce7;color:#14532d;border-color:#16a34a}
			.s-failed{background:#fee2e2;color:#7f1d1d;border-color:#dc2626}
			.s-running{background:#dbeafe;color:#1e3a8a;border-color:#2563eb}
			.s-waiting{background:#fef3c7;color:#713f12;border-color:#d97706}
			.s-pending{background:#f1f5f9;color:#334155;border-color:#64748b}
			.s-compensating,.s-compensated{background:#ede9fe;color:#4c1d95;border-color:#7c3aed}
			.s-cancelled{background:#e5e7eb;color:#1f2937;border-color:#4b5563}
			.s-skipped{background:#f8fafc;color:#475569;border-color:#94a3b8;border-style:dashed}
			.muted{color:var(--muted)}
			.small{font-size:12.5px}
			table{border-collapse:collapse;width:100%}
			th,td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top}
			th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.3px;\
			background:#f8fafc}
			tbody tr:hover{background:#f8fafc}
			td.num{font-variant-numeric:tabular-nums;white-space:nowrap}
			td.time,.time{white-space:nowrap;font-family:var(--mono);font-size:12px}
			.table-scroll{overflow-x:auto}
			.clip{max-width:300px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
			dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:6px 16px;margin:0}
			dl.facts.wide{grid-template-columns:max-content minmax(0,1fr) max-content minmax(0,1fr);gap:6px 20px}
			dl.facts dt{color:var(--muted)}
			dl.facts dd{margin:0;overflow-wrap:anywhere}
			pre{margin:0;background:#f8fafc;border:1px solid var(--line);border-radius:8px;padding:10px 12px;\
			overflow:auto;max-height:420px;white-space:pre-wrap;overflow-wrap:anywhere}
			details>summary{cursor:pointer;color:var(--link);margin:4px 0}
			details[open]>summary{margin-bottom:6px}
			.error{background:#fef2f2;border:1px solid #fecaca;border-left:4px solid #dc2626;border-radius:8px;\
			padding:10px 14px;margin-bottom:16px;overflow-wrap:break-word}
			td .error{min-width:24ch;margin-bottom:0;padding:6px 10px}
			.error .type{font-family:var(--mono);font-weight:700;color:#7f1d1d}
			.flash,.notice{border-radius:8px;padding:10px 14px;margin-bottom:16px;border:1px solid;border-left-width:4px}
			.flash-success{background:#f0fdf4;border-color:#16a34a;color:#14532d}
			.flash-info{background:#eff6ff;border-color:#2563eb;color:#1e3a8a}
			form.filters{display:flex;flex-wrap:wrap;gap:12px 16px;align-items:flex-end}
			label.field{display:flex;flex-direction:column;gap:4px;font-size:12.5px;color:var(--muted)}
			input[type=text],input[type=search],select,textarea{font:inherit;color:var(--ink);padding:6px 8px;\
			border:1px solid #94a3b8;border-radius:6px;background:#fff}
			textarea{font-family:var(--mono);font-size:12.5px;width:100%;min-height:70px}
			fieldset{border:0;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:6px}
			fieldset legend{font-size:12.5px;color:var(--muted);padding:0;margin-bottom:4px;width:100%}
			.check{display:inline-flex;align-items:center;gap:4px;font-size:12.5px}
			.check input{margin:0}
			button,.button{font:inherit;border-radius:6px;padding:6px 14px;border:1px solid #1d4ed8;background:#1d4ed8;\
			color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
			button.secondary,.button.secondary{background:#fff;color:#1d4ed8}
			button.danger{background:#b91c1c;border-color:#b91c1c}
			.actions form{margin:0 0 14px}
			.actions form:last-child{margin-bottom:0}
			.actions .row{display:flex;gap:8px;align-items:flex-end}
			.actions .row label.field{flex:1}
			.actions input[type=text]{width:100%}
			.pager{display:flex;gap:10px;align-items:center;justify-content:space-between;margin-top:12px}
			.pager .disabled{color:#94a3b8}
			.legend{display:flex;flex-wrap:wrap;gap:6px;margin:10px 0 4px}
			.dag-scroll{overflow-x:auto;padding-bottom:4px}
			svg.dag,svg.timeline{display:block;font-family:var(--sans)}
			svg.dag-fit,svg.timeline{max-width:100%;height:auto}
			.dag-edge{fill:none;stroke:#94a3b8;stroke-width:1.6}
			.dag-edge-done{stroke:#475569}
			.dag-arrow{fill:#64748b}
			.dag-box{stroke-width:1.6;fill:#fff;stroke:#64748b}
			.dag-id{font-family:var(--mono);font-size:12px;font-weight:700;fill:#0f172a}
			.dag-detail{font-size:11.5px;fill:#334155}
			.dag-link:hover .dag-box{stroke-width:3}
			.dag-node.s-completed .dag-box{fill:#dcfce7;stroke:#16a34a}
			.dag-node.s-completed text{fill:#14532d}
			.dag-node.s-failed .dag-box{fill:#fee2e2;stroke:#dc2626}
			.dag-node.s-failed text{fill:#7f1d1d}
			.dag-node.s-running .dag-box{fill:#dbeafe;stroke:#2563eb;stroke-width:2.4}
			.dag-node.s-running text{fill:#1e3a8a}
			.dag-node.s-waiting .dag-box{fill:#fef3c7;stroke:#d97706}
			.dag-node.s-waiting text{fill:#713f12}
			.dag-node.s-pending .dag-box{fill:#f8fafc;stroke:#64748b}
			.dag-node.s-compensated .dag-box{fill:#ede9fe;stroke:#7c3aed}
			.dag-node.s-compensated text{fill:#4c1d95}
			.dag-node.s-skipped .dag-box{fill:#fff;stroke:#94a3b8;stroke-dasharray:5 4}
			.dag-node.s-skipped text{fill:#475569}
			@media (prefers-reduced-motion:no-preference){.dag-node.s-running .dag-box{animation:pulse 1.6s ease-in-out \
			infinite}@keyframes pulse{50%{stroke-opacity:.35}}}
			.tl-grid{stroke:#e2e8f0}
			.tl-band{fill:#f8fafc}
			.tl-tick{font-size:11px;fill:#475569;font-family:var(--mono)}
			.tl-label{font-size:12px;fill:#0f172a;font-family:var(--mono)}
			.tl-wait{stroke:#f97316;stroke-width:1.5;stroke-dasharray:3 3}
			.tl-bar{stroke:#0f172a;stroke-opacity:.25}
			.o-completed{fill:#22c55e}.o-failed{fill:#dc2626}.o-retrying{fill:#f97316}.o-running{fill:#3b82f6}
			.o-waiting{fill:#f59e0b}.o-interrupted{fill:#9ca3af}.o-compensated{fill:#8b5cf6}
			.o-compensation-failed{fill:#7f1d1d}
			.key{display:inline-flex;align-items:center;gap:5px;margin-right:12px;font-size:12.5px}
			.swatch{display:inline-block;width:12px;height:12px;border-radius:3px;border:1px solid #0f172a33}
			.swatch.o-completed{background:#22c55e}.swatch.o-failed{background:#dc2626}\
			.swatch.o-retrying{background:#f97316}.swatch.o-running{background:#3b82f6}\
			.swatch.o-waiting{background:#f59e0b}.swatch.o-interrupted{background:#9ca3af}\
			.swatch.o-compensated{background:#8b5cf6}.swatch.o-compensation-failed{background:#7f1d1d}
			.empty{color:var(--muted);padding:18px 0;text-align:center}
			.problem{max-width:760px;margin:40px auto}
			.problem .status{font-size:44px;font-weight:800;color:#94a3b8;margin:0}
			footer{max-width:1320px;margin:0 auto;padding:0 20px 24px;color:var(--muted);font-size:12px}
			.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
			""";

	/**
	 * Offers to reload the page every few seconds, remembering the choice; the control is
	 * hidden until this script shows it, so it never shows without JavaScript.
	 */
	static final String SCRIPT = """
			(function(){var box=document.getElementById('orchwf-refresh');if(!box){return;}\
			var input=box.querySelector('input');var key='orchwf.dashboard.refresh';var timer;\
			try{input.checked=localStorage.getItem(key)==='on';}catch(e){}\
			function arm(){clearTimeout(timer);if(input.checked){timer=setTimeout(function(){location.reload();},5000);}}\
			input.addEventListener('change',function(){try{localStorage.setItem(key,input.checked?'on':'off');}catch(e){}arm();});\
			box.hidden=false;arm();})();""";

	/** The policy sent with every page. */
	static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + sha256(CSS) + "'; script-src '"
			+ sha256(SCRIPT) + "'; img-src data:; form-action 'self'; frame-ancestors 'self'; base-uri 'none'";

	private Styles() {
	}

	private static String sha256(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return "sha256-" + Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

}
