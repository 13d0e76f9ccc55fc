"""Whole captions, written by us in each agency's style, with the fields they must give.

These were written after the parser's rules, as a check that the rules generalise beyond the
corpus (``tests/corpus``): other cities, countries, names, languages and credit shapes.
Keys: city, cc (country_code), ph (photographer), kind, ag (agency), date.
"""

from __future__ import annotations

import datetime as dt

import pytest

from captions import parse_caption

R = dt.date(2025, 3, 14)

CASES = [
 ("Firefighters battle a blaze at a warehouse in Porto, Portugal, on March 2, 2025. (Photo by Miguel RIBEIRO / AFP)", {"city":"Porto","cc":"PRT","ph":"Miguel Ribeiro","ag":"AFP","date":"2025-03-02"}),
 ("A boy flies a kite on a beach in Karachi, Pakistan August 14, 2024. REUTERS/Akhtar Soomro", {"city":"Karachi","cc":"PAK","ph":"Akhtar Soomro","ag":"Reuters","date":"2024-08-14"}),
 ("MEXICO CITY (AP) — Residents walk past a mural, Monday, Jan. 6, 2025. (AP Photo/Marco Ugarte)", {"city":"Mexico City","cc":"MEX","ph":"Marco Ugarte","ag":"AP","date":"2025-01-06"}),
 ("ROME, ITALY - APRIL 21: Pilgrims gather in St. Peter's Square on April 21, 2025 in Vatican City, Vatican. (Photo by Franco Origlia/Getty Images)", {"city":"Rome","cc":"ITA","ph":"Franco Origlia","ag":"Getty Images","date":"2025-04-21"}),
 ("epa11800123 Supporters cheer during a rally in Caracas, Venezuela, 10 January 2025. EPA-EFE/MIGUEL GUTIERREZ", {"city":"Caracas","cc":"VEN","ph":"Miguel Gutierrez","ag":"EPA-EFE","date":"2025-01-10"}),
 ("Children play in the snow in Almaty, Kazakhstan, Jan. 5, 2025. (Xinhua/Kalizhan Ospanov)", {"city":"Almaty","cc":"KAZ","ph":"Kalizhan Ospanov","ag":"Xinhua","date":"2025-01-05"}),
 ("A man walks past rubble in Khan Younis, southern Gaza Strip, on January 3, 2025. / AFP / STR", {"city":"Khan Younis","cc":"PSE","ph":"Stringer","ag":"AFP","date":"2025-01-03"}),
 ("Des manifestants à Nantes, le 15 février 2025. (Photo by Loic VENANCE / AFP)", {"city":"Nantes","cc":"FRA","ph":"Loic Venance","ag":"AFP","date":"2025-02-15"}),
 ("Vecinos observan los daños en Valencia, España, el 30 de octubre de 2024. EFE/Biel Aliño", {"city":"Valencia","cc":"ESP","ph":"Biel Aliño","ag":"EPA-EFE","date":"2024-10-30"}),
 ("Rescuers search for survivors in the northern town of Antakya on February 7, 2023. (Photo by Ozan KOSE / AFP)", {"city":"Antakya","cc":"TUR","ph":"Ozan Kose","ag":"AFP","date":"2023-02-07"}),
 ("Smoke rises over the city after an air strike on Tuesday. REUTERS/Stringer", {"city":None,"cc":None,"ph":"Stringer","ag":"Reuters","date":None}),
 ("A view of the damaged bridge in Baltimore, Maryland, U.S., March 26, 2024. REUTERS/Julia Nikhinson", {"city":"Baltimore","cc":"USA","ph":"Julia Nikhinson","ag":"Reuters","date":"2024-03-26"}),
 ("Fans celebrate in Buenos Aires on December 18, 2022. (Photo by Luis ROBAYO / AFP)", {"city":"Buenos Aires","cc":"ARG","ph":"Luis Robayo","ag":"AFP","date":"2022-12-18"}),
 ("Police stand guard in Dhaka on August 5, 2024. (Photo by Munir uz ZAMAN / AFP)", {"city":"Dhaka","cc":"BGD","ph":"Munir uz Zaman","ag":"AFP","date":"2024-08-05"}),
 ("This handout picture taken and released on June 1, 2024 by the Iranian presidency shows a meeting in Tehran. (Photo by Iranian Presidency / AFP)", {"city":"Tehran","cc":"IRN","ag":"AFP","date":"2024-06-01"}),
 ("Tourists visit the Acropolis in Athens, Greece, 12 June 2024. EPA-EFE/GEORGIA PANAGOPOULOU", {"city":"Athens","cc":"GRC","ph":"Georgia Panagopoulou","ag":"EPA-EFE","date":"2024-06-12"}),
 ("KYIV, Ukraine (AP) — Rescuers work at the site of a strike. (AP Photo/Efrem Lukatsky)", {"city":"Kyiv","cc":"UKR","ph":"Efrem Lukatsky","ag":"AP","date":None}),
 ("Heavy snow in Sapporo, Japan, on Feb. 5, 2025. Photo: Kyodo", {"city":"Sapporo","cc":"JPN","ph":None,"ag":"Kyodo","date":"2025-02-05"}),
 ("People queue to vote in Lagos, Nigeria February 25, 2023. REUTERS/Temilade Adelaja", {"city":"Lagos","cc":"NGA","ph":"Temilade Adelaja","ag":"Reuters","date":"2023-02-25"}),
 ("A protester is detained in Tbilisi, Georgia, on December 2, 2024. (Photo by Giorgi ARJEVANIDZE / AFP)", {"city":"Tbilisi","cc":"GEO","ph":"Giorgi Arjevanidze","ag":"AFP","date":"2024-12-02"}),
 ("Crowds gather outside the stadium in Atlanta, Georgia, on July 4, 2024. (Photo by Jane Smith/Getty Images)", {"city":"Atlanta","cc":"USA","ph":"Jane Smith","ag":"Getty Images","date":"2024-07-04"}),
 ("Miners protest in Johannesburg on 3 March 2024. Photo: Guillem Sartorio/Bloomberg", {"city":"Johannesburg","cc":"ZAF","ph":"Guillem Sartorio","ag":"Bloomberg","date":"2024-03-03"}),
 ("Palestinians inspect a destroyed house in Jenin in the Israeli-occupied West Bank, January 21, 2025. REUTERS/Raneen Sawafta", {"city":"Jenin","cc":"PSE","ph":"Raneen Sawafta","ag":"Reuters","date":"2025-01-21"}),
 ("Schüler protestieren in Hamburg. Foto: Marcus Brandt/dpa", {"city":"Hamburg","cc":"DEU","ph":"Marcus Brandt","ag":"DPA","date":None}),
 ("Voters line up in Seoul, South Korea, June 3, 2025. Yonhap via REUTERS", {"city":"Seoul","cc":"KOR","ag":"Reuters","date":"2025-06-03"}),
 ("Le président arrive à l'Elysée à Paris, le 3 mai 2024. LUDOVIC MARIN/AFP", {"city":"Paris","cc":"FRA","ph":"Ludovic Marin","ag":"AFP","date":"2024-05-03"}),
 ("Der Kanzler spricht am 12. März 2024 in Berlin. Foto: Kay Nietfeld/dpa", {"city":"Berlin","cc":"DEU","ph":"Kay Nietfeld","ag":"DPA","date":"2024-03-12"}),
 ("Fans watch the match in Manchester, England, on Sunday.  (Photo by Jan Kruger/Getty Images)", {"city":"Manchester","cc":"GBR","ph":"Jan Kruger","ag":"Getty Images","date":None}),
 ("A woman walks in the rain near Hanoi, Vietnam on September 8, 2024. (Photo by Nhac NGUYEN / AFP)", {"city":"Hanoi","cc":"VNM","ph":"Nhac Nguyen","ag":"AFP","date":"2024-09-08"}),
 ("A drone view shows flooding north of Porto Alegre, Brazil, May 6, 2024. REUTERS/Diego Vara", {"cc":"BRA","ph":"Diego Vara","ag":"Reuters","date":"2024-05-06"}),
] + [
 ("LOS ANGELES, CALIFORNIA - MARCH 10: Guests arrive at the premiere on March 10, 2025 in Los Angeles, California. (Photo by Amy Sussman/Getty Images)", {"city":"Los Angeles","cc":"USA","ph":"Amy Sussman","ag":"Getty Images","date":"2025-03-10"}),
 ("FILE PHOTO: A logo is seen at the headquarters in Paris, France, May 3, 2022. REUTERS/Benoit Tessier/File Photo", {"city":"Paris","cc":"FRA","ph":"Benoit Tessier","ag":"Reuters","date":"2022-05-03"}),
 ("This handout photo released by the Philippine Coast Guard shows a vessel near Scarborough Shoal. (Philippine Coast Guard via AP)", {"ph":"Handout","kind":"handout","ag":"AP"}),
 ("Leaders pose for a photo in Brussels, Belgium, March 20, 2025. Olivier Hoslet/Pool via REUTERS", {"city":"Brussels","cc":"BEL","ph":"Olivier Hoslet","kind":"person","ag":"Reuters","date":"2025-03-20"}),
 ("Rescuers work in the rubble on Thursday. (AP Photo/Omar Sanadiki)", {"date":"2025-03-13","ph":"Omar Sanadiki","ag":"AP"}, R),
 ("Rescuers work in the rubble on Thursday. (AP Photo/Omar Sanadiki)", {"date":None}),
 ("Fans cheer at the stadium in Seville, Spain, Feb. 28. (AP Photo/Jose Breton)", {"date":"2025-02-28","city":"Seville","cc":"ESP"}, R),
 ("Fans cheer at the stadium in Seville, Spain, Feb. 28. (AP Photo/Jose Breton)", {"date":None}),
 ("Soldiers patrol in Bamako, Mali, on 12 March 2025. (Photo by STRINGER / AFP)", {"city":"Bamako","cc":"MLI","ph":"Stringer","kind":"stringer","ag":"AFP"}),
 ("Ministers meet in Luxembourg on Monday. POOL/AFP", {"ph":"Pool","kind":"pool","ag":"AFP","cc":"LUX"}),
 ("Demonstrators in Istanbul, Turkey, March 19, 2025. REUTERS/Umit Bektas and Dilara Senkaya", {"ph":"Umit Bektas and Dilara Senkaya","ag":"Reuters"}),
 ("People shelter in a metro station in Kharkiv, Ukraine, 13 March 2025. EPA-EFE/SERGEY KOZLOV", {"city":"Kharkiv","cc":"UKR","ph":"Sergey Kozlov","date":"2025-03-13"}),
 ("El presidente llega a Bogotá (Colombia), este 3 de marzo de 2025. EFE/ Mauricio Dueñas Castañeda", {"city":"Bogotá","cc":"COL","ph":"Mauricio Dueñas Castañeda","date":"2025-03-03"}),
 ("A woman walks past shops in Kabul, Afghanistan, Mar. 2, 2025. (Photo by Saifurahman Safi/Xinhua)", {"city":"Kabul","cc":"AFG","ph":"Saifurahman Safi","ag":"Xinhua","date":"2025-03-02"}),
 ("Une vue de Marseille le 5 mars 2025. Christophe SIMON / AFP", {"city":"Marseille","cc":"FRA","ph":"Christophe Simon","date":"2025-03-05"}),
 ("Ein Blick auf den Dom in Köln am 4. März 2025. Foto: Oliver Berg/dpa", {"city":"Köln","cc":"DEU","ph":"Oliver Berg","ag":"DPA","date":"2025-03-04"}),
 ("A man rides a bicycle in Chicago, Ill., Wednesday, March 12, 2025. (AP Photo/Erin Hooley)", {"city":"Chicago","cc":"USA","date":"2025-03-12"}),
 ("Protesters march in Belgrade on March 15, 2025. (Photo by Andrej ISAKOVIC / AFP) (Photo by ANDREJ ISAKOVIC/AFP via Getty Images)", {"city":"Belgrade","cc":"SRB","ph":"Andrej Isakovic","ag":"AFP"}),
 ("Snow falls over Moscow's Red Square, Russia, January 5, 2025. REUTERS/Maxim Shemetov", {"cc":"RUS","ph":"Maxim Shemetov"}),
 ("A vendor waits for customers at a market in Lagos on March 1, 2025. (Photo by Benson Ibeabuchi/Anadolu via Getty Images)", {"city":"Lagos","cc":"NGA","ph":"Benson Ibeabuchi","ag":"Anadolu"}),
 ("Tourists visit the Colosseum in Rome, Italy, 01 March 2025. ANSA/ MASSIMO PERCOSSI", {"city":"Rome","cc":"ITA","ph":"Massimo Percossi","ag":"ANSA"}),
 ("Mourners attend a funeral in the southern city of Tyre on March 2, 2025. (Photo by KAWNAT HAJU / AFP)", {"city":"Tyre","cc":"LBN","ph":"Kawnat Haju"}),
 ("", {"ph":None,"ag":None}),
 ("Photo: Reuters", {"ag":"Reuters","ph":None}),
 ("A cat sleeps.", {"ag":None,"cc":None}),
]

CASES += [
 ("SAN JUAN, Puerto Rico (AP) — People wait in line for gas, Friday, Oct. 4, 2024. (AP Photo/Alejandro Granadillo)", {"city":"San Juan","cc":"PRI","ph":"Alejandro Granadillo","ag":"AP","date":"2024-10-04"}),
 ("NEW YORK, NEW YORK - MAY 06: Guests attend the gala on May 06, 2024 in New York City. (Photo by Kevin Mazur/Getty Images for The Met Museum)", {"city":"New York","cc":"USA","ph":"Kevin Mazur","ag":"Getty Images","date":"2024-05-06"}),
 ("BEIJING, Jan. 5, 2025 (Xinhua) -- Visitors skate on a frozen lake. (Xinhua/Ju Huanzong)", {"city":"Beijing","cc":"CHN","ph":"Ju Huanzong","ag":"Xinhua","date":"2025-01-05"}),
 ("A Syrian man walks through rubble in Aleppo on December 1, 2024. AFP PHOTO / HO / SANA", {"city":"Aleppo","cc":"SYR","ph":"Handout","kind":"handout","ag":"AFP"}),
 ("Delegates arrive for talks in Geneva, Switzerland, January 22, 2025. REUTERS/Denis Balibouse/Pool", {"city":"Geneva","cc":"CHE","ph":"Denis Balibouse","ag":"Reuters"}),
 ("Workers clear snow in Warsaw, Poland, 9 January 2025. EPA/STR", {"city":"Warsaw","cc":"POL","ph":"Stringer","kind":"stringer","ag":"EPA-EFE"}),
 ("Migrants arrive at the port of Lampedusa, Italy, on September 14, 2023. Photograph: Ciro Fusco/EPA", {"city":"Lampedusa","cc":"ITA","ph":"Ciro Fusco","ag":"EPA-EFE"}),
 ("A child walks in a camp in Rafah, in the southern Gaza Strip, on March 3, 2024. Photo by Abed Rahim Khatib/Anadolu", {"city":"Rafah","cc":"PSE","ph":"Abed Rahim Khatib","ag":"Anadolu"}),
 ("Snow blankets the Alps near Chamonix, France, February 2, 2025. Photo: Denis Balibouse/Reuters", {"city":"Chamonix","cc":"FRA","ph":"Denis Balibouse","ag":"Reuters"}),
 ("Lanterns light up the night in Taipei, Taiwan, Feb. 12, 2025. (Photo by I-Hwa Cheng / AFP)", {"city":"Taipei","cc":"TWN","ph":"I-Hwa Cheng","ag":"AFP"}),
 ("LONDON, ENGLAND - JANUARY 15: Commuters cross London Bridge on January 15, 2025 in London, England. (Photo by Dan Kitwood/Getty Images)", {"city":"London","cc":"GBR","ph":"Dan Kitwood","date":"2025-01-15"}),
 ("A firefighter works at the scene in Los Angeles, California, U.S. January 8, 2025. REUTERS/Ringo Chiu TPX IMAGES OF THE DAY", {"city":"Los Angeles","cc":"USA","ph":"Ringo Chiu","date":"2025-01-08"}),
 ("People gather outside the parliament in Seoul, South Korea, December 7, 2024. REUTERS/Kim Soo-hyeon", {"city":"Seoul","cc":"KOR","ph":"Kim Soo-hyeon"}),
 ("Pilgrims pray at Mount Arafat, near Mecca, Saudi Arabia, June 15, 2024. REUTERS/Mohammed Torokman", {"cc":"SAU","ph":"Mohammed Torokman"}),
 ("Un niño juega en la playa de Copacabana en Río de Janeiro (Brasil), este domingo. EFE/ Antonio Lacerda", {"cc":"BRA","ph":"Antonio Lacerda","ag":"EPA-EFE"}),
 ("Ein Mann geht bei Regen in München spazieren. Foto: Sven Hoppe/dpa", {"city":"München","cc":"DEU","ph":"Sven Hoppe"}),
 ("Fans celebrate in Marseille, March 1, 2025. Image Credit: Reuters", {"city":"Marseille","cc":"FRA","ag":"Reuters","ph":None}),
 ("The skyline of Dubai on January 3, 2025. Image Credit: Supplied", {"city":"Dubai","cc":"ARE","ag":None}),
 ("Police officers patrol in Port-au-Prince, Haiti, March 6, 2025. REUTERS/Ralph Tedy Erol", {"city":"Port-au-Prince","cc":"HTI","ph":"Ralph Tedy Erol"}),
 ("Protesters in Nairobi, Kenya on June 25, 2024. (Photo by LUIS TATO/AFP via Getty Images)", {"city":"Nairobi","cc":"KEN","ph":"Luis Tato","ag":"AFP"}),
]

CASES += [
 ("Iran's leader speaks in Tehran, Iran, March 1, 2025. Office of the Iranian Supreme Leader/WANA (West Asia News Agency)/Handout via REUTERS", {"city": "Tehran", "cc": "IRN", "ph": "Handout", "kind": "handout"}),
 ("Fireworks over Sydney Harbour in Sydney, Australia. AAP Image/Bianca De Marchi via REUTERS", {"city": "Sydney", "cc": "AUS", "ph": "Bianca De Marchi", "ag": "AAP"}),
 ("A rally in Ankara. Photograph: Anadolu Agency/Getty Images", {"city": "Ankara", "ag": "Anadolu", "ph": None}),
 ("Bayern's players celebrate in Munich. Foto: IMAGO/Sven Simon", {"city": "Munich", "cc": "DEU", "ph": "Sven Simon", "ag": "Imago"}),
 ("A view of the damaged site in Damascus, Syria. SANA/Handout via REUTERS", {"city": "Damascus", "ph": "Handout", "kind": "handout", "ag": "SANA"}),
]


def _ids() -> list[str]:
    return [f"{i:02d}-{c[0][:40]}" for i, c in enumerate(CASES)]


def test_no_duplicate_cases() -> None:
    keys = [(c[0], c[2] if len(c) > 2 else None) for c in CASES]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("case", CASES, ids=_ids())
def test_caption(case: tuple) -> None:  # type: ignore[type-arg]
    text, expect = case[0], case[1]
    ref = case[2] if len(case) > 2 else None
    d = parse_caption(text, reference_date=ref).to_dict()
    got = {"city": d["location"]["city"], "cc": d["location"]["country_code"],
           "ph": d["photographer"], "ag": d["agency"], "date": d["date"],
           "kind": d["photographer_kind"]}
    for key, value in expect.items():
        assert got[key] == value, key


def test_credit_in_its_own_paragraph() -> None:
    cap = parse_caption("Protesters march in central Paris, France, on May 1, 2024, against the "
                        "pension plans.\n\nREUTERS/Benoit Tessier")
    assert (cap.agency, cap.photographer, cap.location.city) == ("Reuters", "Benoit Tessier", "Paris")
    assert cap.subject.endswith("pension plans.")


def test_story_after_the_caption_is_ignored() -> None:
    text = ("Rescuers search the rubble in Antakya, Turkey, on February 8, 2023. / AFP / "
            "Ozan KOSE\n\nANKARA: The death toll rose on Wednesday in London, Britain, as ...")
    cap = parse_caption(text)
    assert (cap.location.city, cap.location.country_code) == ("Antakya", "TUR")
    assert cap.photographer == "Ozan Kose"
    assert any("story" in w for w in cap.warnings)
    assert cap.text == text
