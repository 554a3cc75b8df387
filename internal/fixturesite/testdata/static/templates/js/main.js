// Script of the fixture imitation; it only exists so that a crawler fetching page requisites finds it.
function chonLienKet(sel) { if (sel.value) { window.open(sel.value); } }
