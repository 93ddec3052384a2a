package netgen

// place is a real location: coordinates in decimal degrees (WGS 84) to
// about 100 m, good enough for great-circle distances.
type place struct {
	name    string  // site name, such as "Boutique, Tokyo Ginza"
	lat     float64 // decimal degrees, north positive
	lon     float64 // decimal degrees, east positive
	country string  // ISO 3166-1 alpha-2
	// land names the land mass the place is on, for road and rail lanes:
	// only places on the same land are linked by road or rail.
	land string
	// market drives the demand pattern: eu, na, latam, cn, asia, jp, me,
	// oc, in, af.
	market string
}

// Calendar features of a market's demand.
func (p place) cny() bool {
	switch p.country {
	case "CN", "HK", "MO", "TW", "SG", "MY", "KR":
		return true // Chinese New Year (Seollal in Korea)
	}
	return false
}

func (p place) eid() bool {
	switch p.country {
	case "AE", "QA", "SA", "KW", "BH", "OM", "ID", "MY":
		return true // Eid al-Fitr gifting
	}
	return false
}

func (p place) touristSummer() bool {
	switch p.country {
	case "FR", "IT", "ES", "MC", "GB", "CH":
		return true // summer visitors in European capitals and resorts
	}
	return false
}

// Workshops and manufactures, by specialty.
var supplierPlaces = map[string][]place{
	"leather": {
		{"Leather goods workshop, Scandicci (Florence)", 43.7544, 11.1897, "IT", "eu", "eu"},
		{"Leather goods workshop, Ubrique (Cadiz)", 36.6778, -5.4464, "ES", "eu", "eu"},
		{"Tannery, Santa Croce sull'Arno", 43.7110, 10.7790, "IT", "eu", "eu"},
		{"Tannery, Arzignano", 45.5206, 11.3340, "IT", "eu", "eu"},
		{"Shoe workshop, Riviera del Brenta", 45.4110, 12.0290, "IT", "eu", "eu"},
		{"Leather workshop, Cholet", 47.0600, -0.8786, "FR", "eu", "eu"},
	},
	"fragrance": {
		{"Perfume house, Grasse", 43.6584, 6.9225, "FR", "eu", "eu"},
		{"Fragrance bottling plant, Chartres", 48.4469, 1.4890, "FR", "eu", "eu"},
	},
	"watch": {
		{"Watch manufacture, Le Brassus", 46.5833, 6.2167, "CH", "eu", "eu"},
		{"Watch case and movement workshop, La Chaux-de-Fonds", 47.1035, 6.8328, "CH", "eu", "eu"},
		{"Watch manufacture, Le Locle", 47.0590, 6.7490, "CH", "eu", "eu"},
		{"Watch assembly, Biel/Bienne", 47.1368, 7.2468, "CH", "eu", "eu"},
	},
	"silk": {
		{"Silk printing works, Lyon", 45.7640, 4.8357, "FR", "eu", "eu"},
		{"Silk weaving mill, Como", 45.8081, 9.0852, "IT", "eu", "eu"},
	},
	"ready-to-wear": {
		{"Tailoring atelier, Biella", 45.5663, 8.0533, "IT", "eu", "eu"},
		{"Knitwear atelier, Carpi", 44.7830, 10.8850, "IT", "eu", "eu"},
		{"Ready-to-wear atelier, Porto", 41.1579, -8.6291, "PT", "eu", "eu"},
	},
	"jewellery": {
		{"Jewellery workshop, Valenza", 45.0137, 8.6432, "IT", "eu", "eu"},
	},
}

// Distribution hubs near airports and ports.
var hubPlaces = []place{
	{"Distribution centre Europe, Roissy-en-France (Paris CDG)", 49.0040, 2.5170, "FR", "eu", "eu"},
	{"Distribution centre Americas, Secaucus (New Jersey)", 40.7895, -74.0565, "US", "na", "na"},
	{"Distribution centre Asia, Changi (Singapore)", 1.3600, 103.9890, "SG", "sea", "asia"},
	{"Distribution centre Greater China, Kwai Chung (Hong Kong)", 22.3570, 114.1270, "HK", "cn", "cn"},
	{"Distribution centre Middle East, Jebel Ali (Dubai)", 25.0110, 55.0610, "AE", "me", "me"},
	{"Distribution centre China, Pudong (Shanghai)", 31.1443, 121.8083, "CN", "cn", "cn"},
	{"Distribution centre Japan, Narita", 35.7720, 140.3929, "JP", "jp", "jp"},
	{"Distribution centre Latin America, Guarulhos (Sao Paulo)", -23.4356, -46.4731, "BR", "sa", "latam"},
	{"Distribution centre Oceania, Mascot (Sydney)", -33.9399, 151.1753, "AU", "au", "oc"},
	{"Distribution centre Central Europe, Frankfurt", 50.0379, 8.5622, "DE", "eu", "eu"},
	{"Distribution centre US West, Carson (Los Angeles)", 33.8317, -118.2817, "US", "na", "na"},
	{"Distribution centre Southern Europe, Malpensa (Milan)", 45.6301, 8.7255, "IT", "eu", "eu"},
	{"Distribution centre Korea, Incheon", 37.4602, 126.4407, "KR", "kr", "asia"},
	{"Distribution centre US South, Doral (Miami)", 25.8195, -80.3553, "US", "na", "na"},
}

// Boutique addresses in luxury shopping streets.
var boutiquePlaces = []place{
	{"Boutique, Paris Avenue Montaigne", 48.8663, 2.3045, "FR", "eu", "eu"},
	{"Boutique, Paris Faubourg Saint-Honore", 48.8700, 2.3160, "FR", "eu", "eu"},
	{"Boutique, London New Bond Street", 51.5126, -0.1446, "GB", "eu", "eu"},
	{"Boutique, Milan Via Monte Napoleone", 45.4685, 9.1955, "IT", "eu", "eu"},
	{"Boutique, Rome Via dei Condotti", 41.9052, 12.4806, "IT", "eu", "eu"},
	{"Boutique, Madrid Calle de Serrano", 40.4300, -3.6873, "ES", "eu", "eu"},
	{"Boutique, Munich Maximilianstrasse", 48.1393, 11.5830, "DE", "eu", "eu"},
	{"Boutique, Geneva Rue du Rhone", 46.2034, 6.1469, "CH", "eu", "eu"},
	{"Boutique, Zurich Bahnhofstrasse", 47.3700, 8.5392, "CH", "eu", "eu"},
	{"Boutique, Monte-Carlo Place du Casino", 43.7393, 7.4277, "MC", "eu", "eu"},
	{"Boutique, New York Fifth Avenue", 40.7624, -73.9738, "US", "na", "na"},
	{"Boutique, Beverly Hills Rodeo Drive", 34.0678, -118.4010, "US", "na", "na"},
	{"Boutique, Los Angeles Melrose Place", 34.0835, -118.3745, "US", "na", "na"},
	{"Boutique, Miami Design District", 25.8131, -80.1927, "US", "na", "na"},
	{"Boutique, Chicago Michigan Avenue", 41.8990, -87.6245, "US", "na", "na"},
	{"Boutique, Toronto Bloor Street West", 43.6703, -79.3925, "CA", "na", "na"},
	{"Boutique, Sao Paulo Rua Oscar Freire", -23.5631, -46.6700, "BR", "sa", "latam"},
	{"Boutique, Tokyo Ginza", 35.6716, 139.7648, "JP", "jp", "jp"},
	{"Boutique, Osaka Shinsaibashi", 34.6746, 135.5012, "JP", "jp", "jp"},
	{"Boutique, Seoul Cheongdam-dong", 37.5245, 127.0475, "KR", "kr", "asia"},
	{"Boutique, Shanghai Nanjing West Road", 31.2286, 121.4512, "CN", "cn", "cn"},
	{"Boutique, Beijing Guomao", 39.9087, 116.4592, "CN", "cn", "cn"},
	{"Boutique, Hong Kong Canton Road", 22.2968, 114.1693, "HK", "cn", "cn"},
	{"Boutique, Taipei Xinyi", 25.0396, 121.5668, "TW", "tw", "asia"},
	{"Boutique, Singapore Orchard Road", 1.3040, 103.8318, "SG", "sea", "asia"},
	{"Boutique, Bangkok Ratchaprasong", 13.7447, 100.5403, "TH", "sea", "asia"},
	{"Boutique, Sydney Castlereagh Street", -33.8698, 151.2094, "AU", "au", "oc"},
	{"Boutique, Dubai Mall", 25.1975, 55.2796, "AE", "me", "me"},
	{"Boutique, Doha The Pearl", 25.3700, 51.5507, "QA", "me", "me"},
	// Further cities for larger generated networks.
	{"Boutique, Cannes La Croisette", 43.5513, 7.0128, "FR", "eu", "eu"},
	{"Boutique, Berlin Kurfuerstendamm", 52.5036, 13.3300, "DE", "eu", "eu"},
	{"Boutique, Duesseldorf Koenigsallee", 51.2240, 6.7790, "DE", "eu", "eu"},
	{"Boutique, Vienna Kohlmarkt", 48.2086, 16.3675, "AT", "eu", "eu"},
	{"Boutique, Amsterdam P.C. Hooftstraat", 52.3584, 4.8811, "NL", "eu", "eu"},
	{"Boutique, Brussels Boulevard de Waterloo", 50.8366, 4.3580, "BE", "eu", "eu"},
	{"Boutique, Barcelona Passeig de Gracia", 41.3950, 2.1620, "ES", "eu", "eu"},
	{"Boutique, Lisbon Avenida da Liberdade", 38.7190, -9.1450, "PT", "eu", "eu"},
	{"Boutique, Stockholm Biblioteksgatan", 59.3360, 18.0740, "SE", "eu", "eu"},
	{"Boutique, Copenhagen Stroget", 55.6790, 12.5790, "DK", "eu", "eu"},
	{"Boutique, Istanbul Nisantasi", 41.0480, 28.9940, "TR", "eu", "eu"},
	{"Boutique, Las Vegas Strip", 36.1170, -115.1740, "US", "na", "na"},
	{"Boutique, San Francisco Union Square", 37.7880, -122.4070, "US", "na", "na"},
	{"Boutique, Houston Galleria", 29.7400, -95.4630, "US", "na", "na"},
	{"Boutique, Boston Newbury Street", 42.3500, -71.0790, "US", "na", "na"},
	{"Boutique, Vancouver Alberni Street", 49.2850, -123.1200, "CA", "na", "na"},
	{"Boutique, Mexico City Polanco", 19.4270, -99.1910, "MX", "na", "latam"},
	{"Boutique, Dallas Highland Park Village", 32.8340, -96.8050, "US", "na", "na"},
	{"Boutique, Honolulu Kalakaua Avenue", 21.2810, -157.8300, "US", "hi", "na"},
	{"Boutique, Guangzhou Tianhe", 23.1290, 113.3210, "CN", "cn", "cn"},
	{"Boutique, Shenzhen Futian", 22.5330, 114.0550, "CN", "cn", "cn"},
	{"Boutique, Chengdu Taikoo Li", 30.6530, 104.0830, "CN", "cn", "cn"},
	{"Boutique, Hangzhou Wulin", 30.2720, 120.1630, "CN", "cn", "cn"},
	{"Boutique, Macau Cotai", 22.1460, 113.5640, "MO", "cn", "cn"},
	{"Boutique, Kuala Lumpur Bukit Bintang", 3.1470, 101.7130, "MY", "sea", "asia"},
	{"Boutique, Jakarta Plaza Indonesia", -6.1930, 106.8220, "ID", "id", "asia"},
	{"Boutique, Manila Makati", 14.5520, 121.0240, "PH", "ph", "asia"},
	{"Boutique, Melbourne Collins Street", -37.8150, 144.9670, "AU", "au", "oc"},
	{"Boutique, Nagoya Sakae", 35.1700, 136.9080, "JP", "jp", "jp"},
	{"Boutique, Fukuoka Tenjin", 33.5900, 130.4000, "JP", "jp", "jp"},
	{"Boutique, Busan Centum City", 35.1690, 129.1310, "KR", "kr", "asia"},
	{"Boutique, Riyadh Kingdom Centre", 24.7110, 46.6740, "SA", "me", "me"},
	{"Boutique, Kuwait City Avenues", 29.3030, 47.9360, "KW", "me", "me"},
	{"Boutique, Abu Dhabi Galleria", 24.5010, 54.3890, "AE", "me", "me"},
	{"Boutique, Mumbai Kala Ghoda", 18.9280, 72.8320, "IN", "in", "in"},
	{"Boutique, New Delhi Chanakyapuri", 28.5970, 77.1850, "IN", "in", "in"},
	{"Boutique, Johannesburg Sandton", -26.1070, 28.0530, "ZA", "za", "af"},
}
