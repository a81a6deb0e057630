"""HTML pages and their JSON twins (web/pages/archive.py) on an archive of real documents."""
import re
import xml.etree.ElementTree as ET

from tests.web.conftest import ocr_document_of

ATOM = "{http://www.w3.org/2005/Atom}"


def first_hit(client, q, **filters):
    data = client.get("/api/search", query_string={"q": q, **filters}).get_json()
    assert data["hits"], q
    return data["hits"][0]


def test_search_page_shows_hits_facets_and_chips(client):
    html = client.get("/?q=valsedlar").get_data(as_text=True)
    assert "träffar för ”valsedlar”" in html
    assert 'class="facet"' in html and "Dokumenttyp" in html
    assert re.search(r'href="/cases\?dnr=VN-\d{4}-\d{5}"', html)
    assert "<mark>" in html


def test_search_page_messages(client):
    html = client.get("/?q=xyzzyqwerty").get_data(as_text=True)
    assert "Inga dokument matchade sökningen" in html
    bad = client.get("/?page=x")
    assert bad.status_code == 400 and "page måste vara ett heltal" in bad.get_data(as_text=True)


def test_a_misspelling_that_finds_nothing_shows_the_correction(client):
    data = client.get("/api/search", query_string={"q": "valsedlarna valnämdens"}).get_json()
    assert data["corrected"] and "valnämnd" in data["corrected"] and data["total"] and data["hits"]
    assert "valsedlarna" in data["corrected"]  # a word the index knows is kept
    assert data["query"] == "valsedlarna valnämdens" and data["suggestion"] is None
    html = client.get("/?q=valn%C3%A4mdens").get_data(as_text=True)
    assert "Visar resultat för <strong>valnämndens</strong>" in html
    assert "Sök i stället efter <a href=\"/?q=valn%C3%A4mdens&amp;stavning=exakt\">valnämdens</a>" in html


def test_the_words_as_typed_are_searched_when_asked(client):
    data = client.get("/api/search", query_string={"q": "valnämdens", "stavning": "exakt"}).get_json()
    assert data["corrected"] is None and data["total"] == 0 and data["suggestion"] == "valnämndens"
    html = client.get("/?q=valn%C3%A4mdens&stavning=exakt").get_data(as_text=True)
    assert "Menade du" in html and "Visar resultat för" not in html


def test_a_query_whose_words_together_find_next_to_nothing_says_it_shows_more(client):
    """Kungsbacka: 'Linda Bergström' of the byggnadsnämnd's arbetsutskott typed 'Linda Borgström'
    (Helena Borgström's name in the nämnd's protocol): the protocol holding both words, then
    the arbetsutskott's papers; ?stavning=exakt the words as typed only."""
    data = client.get("/api/search", query_string={"q": "Linda Borgström"}).get_json()
    assert data["relaxed"] is True and data["corrected"] is None and len(data["hits"]) >= 3
    assert any("Bergström" in h["snippet"] for h in data["hits"][1:3])
    html = client.get("/?q=Linda+Borgstr%C3%B6m").get_data(as_text=True)
    assert "Få dokument innehåller alla orden" in html
    assert 'href="/?q=Linda+Borgstr%C3%B6m&amp;stavning=exakt">Visa bara dokument med alla orden' in html
    exact = client.get("/api/search", query_string={"q": "Linda Borgström", "stavning": "exakt"}).get_json()
    assert exact["relaxed"] is False and exact["total"] < data["total"]
    assert "Få dokument" not in client.get("/?q=valsedlar").get_data(as_text=True)


def test_protocol_page_has_paragraph_anchors_and_citations(client):
    hit = first_hit(client, "Tobisviksbadet")
    html = client.get(f"/documents/{hit['id']}").get_data(as_text=True)
    for n in range(66, 90):
        assert f'id="p{n}"' in html, n
    anchored = re.search(r'id="p82">(.*?)</div>', html, re.S).group(1)
    assert anchored.lstrip().startswith("§ 82") or "§ 82" in anchored[:40]
    assert "Tobisviksbadet" in anchored
    assert "Samhällsplaneringsnämnden, Simrishamns kommun, 2024-04-25, § 82, dnr 2024/93" in html
    assert 'id="sida-44"' in html


def test_a_hit_names_the_paragraph_and_page_of_its_passage(client):
    html = client.get("/?q=Tobisviksbadet").get_data(as_text=True)
    assert re.search(r'<span class="page">§ 82, s\. \d+:</span>', html)
    hit = next(h for h in client.get("/api/search?q=Tobisviksbadet").get_json()["hits"] if h["snippet_paragraph"])
    assert hit["snippet_paragraph"] == "82" and hit["url"].endswith(f"#sida-{hit['snippet_page']}")


def test_protokollsutdrag_citation(client):
    hit = first_hit(client, "PEER support", doctype="protokollsutdrag")
    html = client.get(f"/documents/{hit['id']}").get_data(as_text=True)
    assert 'value="Socialnämnden, Stockholms stad, § 16, dnr 1.5.1-646/2018"' in html
    assert "särskilt uttalande" in html and "Alexandra Mattsson" in html


def test_case_page_and_json_twin(client):
    html = client.get("/cases?dnr=vn%202023%2000023").get_data(as_text=True)
    assert "VN-2023-00023 – Kungsbacka kommun" in html and "Diarium: VN" in html
    assert html.count('class="doctype"') >= 2
    data = client.get("/api/cases?dnr=vn 2023 00023").get_json()
    assert len(data["cases"]) == 1 and data["cases"][0]["register"] == "VN"
    assert client.get("/api/cases?dnr=vn 2023 00023&register=BN").get_json()["cases"] == []
    dates = [d["date"] for d in data["cases"][0]["documents"]]
    assert dates == sorted(dates)
    missing = client.get("/cases?dnr=KS-1999-0001").get_data(as_text=True)
    assert "Inget ärende" in missing


def test_a_case_in_both_its_forms_with_its_decisions(client):
    # Kungsbacka's byggnadsnämnd writes BN-numbers and bare ones; learned from its kallelse, the
    # bare 2024-00013 of its protocols is BN-2024-00013: one case, its §§' decisions with it.
    data = client.get("/api/cases?dnr=BN-2024-00013").get_json()
    (case,) = data["cases"]
    assert case["register"] == "BN" and case["numbers"] == ["2024-00013"]
    assert {d["doctype"] for d in case["documents"]} == {"kallelse", "protokoll"}
    html = client.get("/cases?dnr=BN-2024-00013").get_data(as_text=True)
    assert "Besluten i ärendet" in html and "Diarium: BN" in html


def test_browse_page_and_json_twin(client):
    data = client.get("/api/organizations").get_json()
    names = [o["organization"] for o in data["organizations"]]
    assert "Kungsbacka kommun" in names and "Simrishamns kommun" in names
    kungsbacka = next(o for o in data["organizations"] if o["organization"] == "Kungsbacka kommun")
    assert {"Valnämnden", "Byggnadsnämnden"} <= {b["body"] for b in kungsbacka["bodies"]}
    assert data["latest_decisions"] and all(d["doctype"] in ("protokoll", "protokollsutdrag")
                                            for d in data["latest_decisions"])
    html = client.get("/organisationer").get_data(as_text=True)
    assert "Senaste besluten" in html and "Valnämnden" in html
    # The registers learned from the archive: Kungsbacka's VN and BN, and the byggnadsnämnd's bare
    # numbers ("2024-00013") in BN's register, as its kallelse's prefixed numbers show.
    learned = {r["register"]: r for r in kungsbacka["registers"]}
    assert {"VN", "BN"} <= set(learned) and learned["VN"]["shapes"][0]["shape"] == "VN-ÅÅÅÅ-nnnnn"
    assert learned["Byggnadsnämnden"]["written_as"] == "BN"
    assert "Diarier" in html and "<code>VN-ÅÅÅÅ-nnnnn</code>" in html


def test_atom_feed_follows_the_search(client):
    r = client.get("/search.atom?q=valn%C3%A4mnden&organization=Kungsbacka+kommun")
    assert r.status_code == 200 and r.mimetype == "application/atom+xml"
    feed = ET.fromstring(r.data)
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        assert entry.find(f"{ATOM}link").get("href").startswith("/documents/")  # relative: never from Host
        assert entry.find(f"{ATOM}updated").text
    published = [e.find(f"{ATOM}published").text for e in entries if e.find(f"{ATOM}published") is not None]
    assert published == sorted(published, reverse=True)
    html = client.get("/?q=valn%C3%A4mnden").get_data(as_text=True)
    assert 'type="application/atom+xml"' in html


def test_help_page_documents_syntax_and_api(client):
    html = client.get("/hjalp").get_data(as_text=True)
    for piece in ("&#34;särskilt uttalande&#34;", "OR", "NOT", "hemtj*", "titel:", "dnr:", "/api/search", "/api/cases"):
        assert piece in html or piece.replace("&#34;", '"') in html, piece


def test_document_json_twin_matches_page(client):
    hit = first_hit(client, "anhörigstöd")
    data = client.get(f"/api/documents/{hit['id']}").get_json()
    html = client.get(f"/documents/{hit['id']}").get_data(as_text=True)
    assert data["title"] in html.replace("&amp;", "&")
    assert data["sha256"] in html


def test_typed_references_are_listed_not_taken_for_dnr(client):
    hit = first_hit(client, "Tobisviksbadet", doctype="protokoll")
    data = client.get(f"/api/documents/{hit['id']}").get_json()
    refs = {(r["kind"], r["reference"]) for r in data["references"]}
    assert ("paragraph_ref", "2024-02-14 § 27") in refs  # "Kommunstyrelsens beslut, 2024-02-14, § 27"
    assert not any("§" in d for d in data["dnr"] + data["dnr_mentioned"])
    html = client.get(f"/documents/{hit['id']}").get_data(as_text=True)
    assert "Paragrafer i andra protokoll" in html and "2024-02-14 § 27" in html


def test_document_page_says_which_text_is_ocr(ocr_client):
    data = ocr_document_of(ocr_client, "Gröstorps", "Bortredigerad.pdf")
    html = ocr_client.get(f"/documents/{data['id']}").get_data(as_text=True)
    mean = round(sum(p["confidence"] for p in data["pages"] if p["ocr"]) / 2 * 100)
    assert f"Texten på sidorna 17, 25 är maskinläst (OCR), medelsäkerhet {mean} %; den kan innehålla fel." in html
    page17 = html[html.index('id="sida-17"'):html.index('id="sida-18"')]
    assert "Sidan är maskinläst (OCR), säkerhet" in page17 and "saknar textlager" not in page17
    assert "maskinläst" not in html[html.index('id="sida-16"'):html.index('id="sida-17"')]
    scan = ocr_document_of(ocr_client, "Förbundsordningen", "ss620.pdf")
    html = ocr_client.get(f"/documents/{scan['id']}").get_data(as_text=True)
    assert "Texten är maskinläst (OCR), medelsäkerhet" in html


def _packet(client) -> dict:
    hits = client.get("/api/search", query_string={"q": "valsedlar Europaparlamentvalet"}).get_json()["hits"]
    ids = [h["id"] for h in hits if h["source"].endswith("2024-05-06/handlingar.md")]
    assert len(ids) == 1, hits
    return client.get(f"/api/documents/{ids[0]}").get_json()


def test_a_meeting_packet_shows_its_papers_and_the_case_finds_its_paper(client):
    packet = _packet(client)
    assert [(p["doctype"], p["first_page"]) for p in packet["parts"]][1:3] == [
        ("tjänsteskrivelse", 4), ("tjänsteskrivelse", 5)]
    page = client.get(packet["url"]).get_data(as_text=True)
    assert "Handlingarnas delar" in page and f'/documents/{packet["id"]}/sidor/7' in page
    # The case of VN-2023-00023 names the two papers of it in the packet, with their pages.
    case = client.get("/api/cases", query_string={"dnr": "VN-2023-00023"}).get_json()["cases"]
    in_packet = [d for c in case for d in c["documents"] if d["id"] == packet["id"]]
    assert [(p["doctype"], p["first_page"], p["last_page"]) for p in in_packet[0]["parts"]] == [
        ("tjänsteskrivelse", 5, 6), ("protokollsutdrag", 7, 8)]
    html = client.get("/cases", query_string={"dnr": "VN-2023-00023"}).get_data(as_text=True)
    assert "Del 4 av handlingarna" in html and "sidan 7–8" in html


def test_a_statement_filter_shows_the_statements_own_words_at_its_paragraph(client):
    """Filtered to reservations by S, the Simrishamn SPn protocol's hit shows the S reservation of
    § 77 (its text, the page its § starts on), not the protocol's first page."""
    data = client.get("/api/search", query_string={"statement": "reservation", "party": "S"}).get_json()
    spn = [h for h in data["hits"] if h["source"].endswith("Protokoll  SPn april 2024_Bortredigerad.pdf")]
    assert len(spn) == 1, data["hits"]
    hit = spn[0]
    assert hit["snippet_paragraph"] == "77" and "reserverar" in hit["snippet"] and "Tommy Nilsson (S)" in hit["snippet"]
    document = client.get(f"/api/documents/{hit['id']}").get_json()
    assert hit["snippet_page"] == next(p["page"] for p in document["paragraphs"] if p["number"] == "77")
    # Reservations by V: the other one (§ 80), with the query's word marked.
    v = client.get("/api/search", query_string={"q": "beslutet", "statement": "reservation", "party": "V"}).get_json()
    hit = next(h for h in v["hits"] if h["id"] == document["id"])
    assert hit["snippet_paragraph"] == "80" and "<mark>beslutet</mark>" in hit["snippet"]
    page = client.get("/", query_string={"statement": "reservation", "party": "S"}).get_data(as_text=True)
    assert "§ 77" in page and "Tommy Nilsson (S)" in page
